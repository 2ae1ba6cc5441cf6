/**
 * What the gateway has learned about each upstream's OAuth setup: the resource_metadata URL from its last
 * WWW-Authenticate challenge. Discovery through the gateway fetches from there first.
 */
export class OAuthMemory {
  readonly #metadataUrls = new Map<string, string>();

  rememberMetadataUrl(server: string, url: string): void {
    this.#metadataUrls.set(server, url);
  }

  metadataUrl(server: string): string | undefined {
    return this.#metadataUrls.get(server);
  }

  forget(server: string): void {
    this.#metadataUrls.delete(server);
  }
}
