/**
 * An upstream that wants OAuth answers 401 (or 403 insufficient_scope) with a WWW-Authenticate header whose
 * `resource_metadata` parameter points at its Protected Resource Metadata (RFC 9728 section 5.1; MCP
 * Authorization, "Authorization Server Discovery"). Clients talk to the gateway, so that URL is rewritten
 * to the gateway's copy of the metadata; the original is remembered to fetch it from.
 */
const RESOURCE_METADATA = /(resource_metadata\s*=\s*)(?:"([^"]*)"|([^\s,]+))/i;

export interface RewrittenChallenge {
  value: string;
  /** The upstream's own resource_metadata URL, when the header had one. */
  upstreamMetadataUrl: string | null;
}

export function rewriteResourceMetadata(header: string, gatewayMetadataUrl: string): RewrittenChallenge {
  const match = RESOURCE_METADATA.exec(header);
  if (!match) return { value: header, upstreamMetadataUrl: null };
  const original = match[2] ?? match[3] ?? null;
  const value = header.replace(RESOURCE_METADATA, `$1"${gatewayMetadataUrl}"`);
  return { value, upstreamMetadataUrl: original };
}
