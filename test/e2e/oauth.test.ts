import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OAuthUpstream, startOAuthUpstream } from '../fixtures/oauth-server.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

const REDIRECT = 'http://localhost:1/callback';

/** A browserless OAuth client: remembers what the SDK asks it to, and where it was sent to log in. */
class MemoryOAuthProvider implements OAuthClientProvider {
  authorizationUrl: URL | null = null;
  #client: OAuthClientInformationMixed | undefined;
  #tokens: OAuthTokens | undefined;
  #verifier = '';
  get redirectUrl() {
    return REDIRECT;
  }
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'oauth test client',
      redirect_uris: [REDIRECT],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }
  clientInformation() {
    return this.#client;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.#client = info;
  }
  tokens() {
    return this.#tokens;
  }
  saveTokens(tokens: OAuthTokens) {
    this.#tokens = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.#verifier = verifier;
  }
  codeVerifier() {
    return this.#verifier;
  }
}

/** The user's part of the flow: follow the redirects the way a browser would, and read the code off the last one. */
async function logInThroughBrowser(start: URL): Promise<string> {
  let location = start.href;
  for (let hop = 0; hop < 5; hop++) {
    if (location.startsWith(REDIRECT)) return new URL(location).searchParams.get('code') ?? '';
    const response = await fetch(location, { redirect: 'manual' });
    expect(response.status).toBe(302);
    location = response.headers.get('location') ?? '';
  }
  throw new Error('too many redirects');
}

/** MCP Authorization through the gateway: the SDK's own OAuth client completes the flow with the upstream. */
describe('OAuth through the gateway', () => {
  let upstream: OAuthUpstream;
  let gw: TestGateway;

  beforeAll(async () => {
    upstream = await startOAuthUpstream();
    gw = await startTestGateway({ servers: { secured: { type: 'http', url: upstream.url } } });
  });

  afterAll(async () => {
    await gw?.stop();
    await upstream?.stop();
  });

  it('serves the upstream metadata with the gateway as resource and authorization server', async () => {
    const prm = (await (
      await fetch(`${gw.url}/.well-known/oauth-protected-resource/s/secured/mcp`)
    ).json()) as Record<string, unknown>;
    expect(prm.resource).toBe(gw.proxyUrl('secured'));
    expect(prm.authorization_servers).toEqual([`${gw.url}/s/secured`]);
    expect(prm.scopes_supported).toEqual(['mcp']);
    const asm = (await (
      await fetch(`${gw.url}/.well-known/oauth-authorization-server/s/secured`)
    ).json()) as Record<string, unknown>;
    expect(asm.issuer).toBe(`${gw.url}/s/secured`);
    expect(asm.token_endpoint).toBe(`${gw.url}/s/secured/oauth/token`);
    expect(asm.authorization_endpoint).toBe(`${gw.url}/s/secured/oauth/authorize`);
    expect(asm.code_challenge_methods_supported).toEqual(['S256']);
  });

  it('lets the SDK OAuth client complete the flow and call tools, with tokens minted for the upstream resource', async () => {
    const provider = new MemoryOAuthProvider();
    const url = new URL(gw.proxyUrl('secured'));
    const first = new Client({ name: 'oauth-client', version: '1' });
    const firstTransport = new StreamableHTTPClientTransport(url, { authProvider: provider });
    await expect(first.connect(firstTransport)).rejects.toThrow(/Unauthorized/i);
    expect(provider.authorizationUrl?.href.startsWith(`${gw.url}/s/secured/oauth/authorize`)).toBe(true);

    const code = await logInThroughBrowser(provider.authorizationUrl as URL);
    await firstTransport.finishAuth(code);
    expect(provider.tokens()?.access_token).toMatch(/^tok-/);

    const client = new Client({ name: 'oauth-client', version: '1' });
    const transport = new StreamableHTTPClientTransport(url, { authProvider: provider });
    await client.connect(transport);
    const result = await client.callTool({ name: 'echo', arguments: { message: 'authorized' } });
    expect(JSON.stringify(result)).toContain('Echo: authorized');
    await transport.terminateSession();
    await client.close();

    // RFC 8707: the upstream's authorization server only ever saw the upstream's own resource URL.
    expect(upstream.resourcesSeen.authorize).toEqual([upstream.resource]);
    expect(upstream.resourcesSeen.token).toEqual([upstream.resource]);
    const captured = await gw.records((r) => r.server === 'secured' && r.kind === 'request');
    expect(captured.every((r) => !JSON.stringify(r.requestHeaders).includes('tok-'))).toBe(true);
  });
});
