import { request } from 'undici';
import type { OAuthMemory } from './oauth-memory.js';
import type { HttpUpstream } from './upstream.js';

/**
 * OAuth through the gateway (MCP Authorization; RFC 9728 protected resource metadata; RFC 8414
 * authorization server metadata; RFC 8707 resource indicators).
 *
 * A client only knows the gateway URL, so it must discover everything there, and the token it gets must
 * still be one the upstream accepts. The gateway therefore serves the upstream's metadata with the
 * resource and endpoint URLs pointing at itself, and relays the authorization and token requests to the
 * upstream's authorization server with the `resource` parameter turned back into the upstream's own.
 */

export interface OAuthReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

type Json = Record<string, unknown>;

interface UpstreamOAuth {
  fetchedAt: number;
  /** The upstream's protected resource metadata, as it published it. */
  resourceMetadata: Json;
  /** The upstream authorization server's metadata (RFC 8414 or OpenID discovery). */
  authorizationServer: Json | null;
}

const CACHE_MS = 5 * 60_000;
const FETCH_TIMEOUT_MS = 10_000;

function json(status: number, body: unknown, headers: Record<string, string> = {}): OAuthReply {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

function oauthError(status: number, description: string): OAuthReply {
  return json(status, {
    error: status >= 500 ? 'temporarily_unavailable' : 'invalid_request',
    error_description: description,
  });
}

async function fetchJson(url: string): Promise<{ status: number; body: Json | null }> {
  const response = await request(url, {
    method: 'GET',
    headers: { accept: 'application/json' },
    headersTimeout: FETCH_TIMEOUT_MS,
    bodyTimeout: FETCH_TIMEOUT_MS,
  });
  const text = await response.body.text();
  if (response.statusCode !== 200) return { status: response.statusCode, body: null };
  try {
    const parsed: unknown = JSON.parse(text);
    return { status: 200, body: typeof parsed === 'object' && parsed !== null ? (parsed as Json) : null };
  } catch {
    return { status: 502, body: null };
  }
}

/** The upstream server's metadata locations, most specific first (RFC 9728 section 3.1). */
function resourceMetadataCandidates(upstream: HttpUpstream, remembered: string | undefined): string[] {
  const path = upstream.url.pathname.replace(/\/$/, '');
  const candidates = [
    `${upstream.url.origin}/.well-known/oauth-protected-resource${path}`,
    `${upstream.url.origin}/.well-known/oauth-protected-resource`,
  ];
  return remembered ? [remembered, ...candidates] : candidates;
}

/** Authorization server metadata locations (RFC 8414 section 3.1, then OpenID Connect Discovery). */
function authorizationServerCandidates(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/$/, '');
  if (!path) {
    return [
      `${url.origin}/.well-known/oauth-authorization-server`,
      `${url.origin}/.well-known/openid-configuration`,
    ];
  }
  return [
    `${url.origin}/.well-known/oauth-authorization-server${path}`,
    `${url.origin}/.well-known/openid-configuration${path}`,
    `${url.origin}${path}/.well-known/openid-configuration`,
  ];
}

/** Endpoints the gateway relays; the rest of the metadata (jwks_uri, ...) keeps pointing at the upstream. */
const RELAYED_ENDPOINTS = {
  authorization_endpoint: 'authorize',
  token_endpoint: 'token',
  registration_endpoint: 'register',
  revocation_endpoint: 'revoke',
} as const;

export type RelayedEndpoint = (typeof RELAYED_ENDPOINTS)[keyof typeof RELAYED_ENDPOINTS];

export class OAuthDiscovery {
  readonly #resolve: (name: string) => HttpUpstream | undefined;
  readonly #memory: OAuthMemory;
  readonly #cache = new Map<string, UpstreamOAuth>();

  constructor(resolve: (name: string) => HttpUpstream | undefined, memory: OAuthMemory) {
    this.#resolve = resolve;
    this.#memory = memory;
  }

  /** `GET /.well-known/oauth-protected-resource/s/<name>/mcp`: the upstream's metadata, pointed at the gateway. */
  async protectedResource(name: string, gatewayOrigin: string, clientPath: string): Promise<OAuthReply> {
    const found = await this.#load(name, false);
    if ('reply' in found) return found.reply;
    const metadata: Json = { ...found.oauth.resourceMetadata, resource: `${gatewayOrigin}${clientPath}` };
    if (Array.isArray(metadata.authorization_servers) && metadata.authorization_servers.length > 0) {
      metadata.authorization_servers = [`${gatewayOrigin}/s/${name}`];
    }
    return json(200, metadata, { 'cache-control': 'no-store' });
  }

  /** `GET /.well-known/oauth-authorization-server/s/<name>` (and the OpenID spellings). */
  async authorizationServer(name: string, gatewayOrigin: string): Promise<OAuthReply> {
    const found = await this.#load(name, true);
    if ('reply' in found) return found.reply;
    const upstreamMetadata = found.oauth.authorizationServer;
    if (!upstreamMetadata) {
      return oauthError(
        404,
        `The authorization server of server "${name}" publishes no metadata the gateway could find.`,
      );
    }
    const base = `${gatewayOrigin}/s/${name}/oauth`;
    const metadata: Json = { ...upstreamMetadata, issuer: `${gatewayOrigin}/s/${name}` };
    for (const [field, endpoint] of Object.entries(RELAYED_ENDPOINTS)) {
      if (typeof upstreamMetadata[field] === 'string') metadata[field] = `${base}/${endpoint}`;
    }
    return json(200, metadata, { 'cache-control': 'no-store' });
  }

  /** `GET /s/<name>/oauth/authorize`: sends the browser on to the upstream's authorization endpoint. */
  async authorize(name: string, gatewayOrigin: string, query: URLSearchParams): Promise<OAuthReply> {
    const found = await this.#load(name, true);
    if ('reply' in found) return found.reply;
    const endpoint = found.oauth.authorizationServer?.authorization_endpoint;
    if (typeof endpoint !== 'string')
      return oauthError(404, `Server "${name}" has no authorization endpoint.`);
    const target = new URL(endpoint);
    for (const [key, value] of this.#translateResource(name, gatewayOrigin, found.oauth, query)) {
      target.searchParams.append(key, value);
    }
    return { status: 302, headers: { location: target.href, 'cache-control': 'no-store' }, body: '' };
  }

  /** `POST /s/<name>/oauth/{token,register,revoke}`: relayed to the upstream authorization server. */
  async relay(
    name: string,
    gatewayOrigin: string,
    endpoint: Exclude<RelayedEndpoint, 'authorize'>,
    body: string,
    headers: Record<string, string>,
  ): Promise<OAuthReply> {
    const found = await this.#load(name, true);
    if ('reply' in found) return found.reply;
    const field = Object.entries(RELAYED_ENDPOINTS).find(([, value]) => value === endpoint)?.[0] ?? '';
    const url = found.oauth.authorizationServer?.[field];
    if (typeof url !== 'string')
      return oauthError(404, `Server "${name}" has no ${field.replace('_', ' ')}.`);
    let forwardedBody = body;
    if ((headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      const form = new URLSearchParams(body);
      forwardedBody = this.#translateResource(name, gatewayOrigin, found.oauth, form).toString();
    }
    try {
      const response = await request(url, {
        method: 'POST',
        headers: { ...headers, accept: 'application/json' },
        body: forwardedBody,
        headersTimeout: FETCH_TIMEOUT_MS,
        bodyTimeout: FETCH_TIMEOUT_MS,
      });
      const text = await response.body.text();
      const contentType = response.headers['content-type'];
      return {
        status: response.statusCode,
        headers: {
          'content-type': typeof contentType === 'string' ? contentType : 'application/json',
          'cache-control': 'no-store',
        },
        body: text,
      };
    } catch (error) {
      return oauthError(
        502,
        `Cannot reach the authorization server of "${name}" at ${url}: ${(error as Error).message}`,
      );
    }
  }

  /** RFC 8707: the client names the gateway URL as resource; the upstream expects its own. */
  #translateResource(
    name: string,
    gatewayOrigin: string,
    oauth: UpstreamOAuth,
    params: URLSearchParams,
  ): URLSearchParams {
    const upstream = this.#resolve(name);
    const upstreamResource =
      typeof oauth.resourceMetadata.resource === 'string'
        ? oauth.resourceMetadata.resource
        : upstream?.url.href;
    const out = new URLSearchParams();
    for (const [key, value] of params) {
      const isGatewayResource = key === 'resource' && value.startsWith(`${gatewayOrigin}/`);
      out.append(key, isGatewayResource && upstreamResource ? upstreamResource : value);
    }
    return out;
  }

  async #load(
    name: string,
    needAuthorizationServer: boolean,
  ): Promise<{ oauth: UpstreamOAuth } | { reply: OAuthReply }> {
    const upstream = this.#resolve(name);
    if (!upstream) return { reply: oauthError(404, `Unknown server "${name}".`) };
    const cached = this.#cache.get(name);
    if (
      cached &&
      Date.now() - cached.fetchedAt < CACHE_MS &&
      (cached.authorizationServer || !needAuthorizationServer)
    ) {
      return { oauth: cached };
    }
    let resourceMetadata: Json | null = null;
    try {
      for (const candidate of resourceMetadataCandidates(upstream, this.#memory.metadataUrl(name))) {
        const result = await fetchJson(candidate);
        if (result.body) {
          resourceMetadata = result.body;
          break;
        }
        if (result.status >= 500) break;
      }
    } catch (error) {
      return {
        reply: oauthError(
          502,
          `Cannot reach server "${name}" at ${upstream.url.origin} for its OAuth metadata: ${(error as Error).message}`,
        ),
      };
    }
    if (!resourceMetadata) {
      return {
        reply: oauthError(
          404,
          `Server "${name}" publishes no OAuth protected resource metadata (RFC 9728); it may not use OAuth.`,
        ),
      };
    }
    let authorizationServer: Json | null = null;
    const servers = resourceMetadata.authorization_servers;
    const issuer =
      Array.isArray(servers) && typeof servers[0] === 'string' ? servers[0] : upstream.url.origin;
    if (needAuthorizationServer) {
      try {
        for (const candidate of authorizationServerCandidates(issuer)) {
          const result = await fetchJson(candidate);
          if (result.body) {
            authorizationServer = result.body;
            break;
          }
        }
      } catch (error) {
        return {
          reply: oauthError(
            502,
            `Cannot reach the authorization server ${issuer} of "${name}": ${(error as Error).message}`,
          ),
        };
      }
    }
    const oauth: UpstreamOAuth = { fetchedAt: Date.now(), resourceMetadata, authorizationServer };
    this.#cache.set(name, oauth);
    return { oauth };
  }

  forget(name: string): void {
    this.#cache.delete(name);
  }
}
