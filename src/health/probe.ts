import { VERSION } from '../core/version.js';
import { maskText } from '../redaction/config-masking.js';
import { type CallOptions, type RpcAnswer, rpcCall } from './rpc-call.js';
import { awaitEndpointEvent } from './sse-probe.js';
import type { HealthReport, HealthState } from './types.js';

export interface ProbeTarget {
  url: URL;
  /** The server's configured headers (credentials), sent as the proxy would send them. */
  headers: Readonly<Record<string, string>>;
  /** Streamable HTTP (the default), or the legacy HTTP+SSE transport of MCP 2024-11-05. */
  transport?: 'http' | 'sse';
}

export type ProbeResult = Pick<HealthReport, 'state' | 'latencyMs' | 'httpStatus' | 'detail'>;

export const PROBE_TIMEOUT_MS = 5_000;

const MODERN_VERSION = '2026-07-28';
/** The newest version with an `initialize` handshake; servers answer with the one they speak. */
const HANDSHAKE_VERSION = '2025-11-25';
const CLIENT_INFO = { name: 'mcp-gateway-health', version: VERSION };

/**
 * A health check asks what a client would, era by era, and calls a server "up" only for a successful
 * JSON-RPC result (an error answer or a 4xx is no proof that requests are served):
 *   1. `server/discover` (MCP 2026-07-28, "Discovery"), with the request metadata headers
 *      (Streamable HTTP, "Request Metadata"). Servers of that era must implement it.
 *   2. Otherwise, as a 2025 client: `initialize`, then `ping` (MCP "Ping" utility) in the session the
 *      server made, which is ended again with DELETE (Streamable HTTP 2025-11-25, "Session Management").
 * Legacy HTTP+SSE servers (type "sse") are judged by their stream: it must name its POST endpoint.
 */
export async function probeMcpEndpoint(
  target: ProbeTarget,
  options: { fetch?: typeof fetch; timeoutMs?: number } = {},
): Promise<ProbeResult> {
  const call: CallOptions = {
    fetch: options.fetch ?? fetch,
    timeoutMs: options.timeoutMs ?? PROBE_TIMEOUT_MS,
  };
  try {
    return target.transport === 'sse' ? await probeSse(target, call) : await probeStreamable(target, call);
  } catch (error) {
    // Error texts may quote the URL, query secrets and password included; the detail is shown and stored.
    return {
      state: 'down',
      latencyMs: null,
      httpStatus: null,
      detail: maskText(unreachable(error, call.timeoutMs)),
    };
  }
}

async function probeStreamable(target: ProbeTarget, call: CallOptions): Promise<ProbeResult> {
  const discover = await rpcCall(
    target.url,
    { ...target.headers, 'mcp-protocol-version': MODERN_VERSION, 'mcp-method': 'server/discover' },
    {
      id: 'mcp-gateway-health',
      method: 'server/discover',
      params: {
        _meta: {
          'io.modelcontextprotocol/protocolVersion': MODERN_VERSION,
          'io.modelcontextprotocol/clientInfo': CLIENT_INFO,
          'io.modelcontextprotocol/clientCapabilities': {},
        },
      },
    },
    call,
  );
  if (served(discover)) {
    const versions = discover.result?.supportedVersions;
    const list = Array.isArray(versions) ? versions.join(', ') : MODERN_VERSION;
    return result('up', discover, `answered server/discover (MCP ${list})`);
  }
  if (discover.status === 401 || discover.status === 403) return needsCredentials(discover);
  const handshake = await pingInSession(target, call);
  if (handshake.ping && served(handshake.ping)) {
    return result('up', handshake.ping, `answered ping (MCP ${handshake.version})`);
  }
  const last = handshake.ping ?? handshake.init;
  if (last.status === 401 || last.status === 403) return needsCredentials(last);
  return judgeFailure(target, call, discover, last, handshake.ping ? 'ping' : 'initialize');
}

/** A JSON-RPC result in a 2xx answer: a result sent with a 4xx or 5xx is no proof that requests are served. */
function served(answer: RpcAnswer): boolean {
  return answer.outcome === 'result' && answer.status >= 200 && answer.status < 300;
}

interface Handshake {
  init: RpcAnswer;
  ping: RpcAnswer | null;
  version: string | null;
}

async function pingInSession(target: ProbeTarget, call: CallOptions): Promise<Handshake> {
  const init = await rpcCall(
    target.url,
    target.headers,
    {
      id: 'mcp-gateway-health-init',
      method: 'initialize',
      params: { protocolVersion: HANDSHAKE_VERSION, capabilities: {}, clientInfo: CLIENT_INFO },
    },
    call,
  );
  if (!served(init)) return { init, ping: null, version: null };
  const negotiated = init.result?.protocolVersion;
  const version = typeof negotiated === 'string' ? negotiated : HANDSHAKE_VERSION;
  const session = init.headers.get('mcp-session-id');
  const headers = {
    ...target.headers,
    'mcp-protocol-version': version,
    ...(session ? { 'mcp-session-id': session } : {}),
  };
  try {
    await rpcCall(target.url, headers, { method: 'notifications/initialized' }, call);
    const ping = await rpcCall(target.url, headers, { id: 'mcp-gateway-health', method: 'ping' }, call);
    return { init, ping, version };
  } finally {
    // Each check would otherwise leave a session behind on the server.
    if (session) {
      void call
        .fetch(target.url, { method: 'DELETE', headers, signal: AbortSignal.timeout(call.timeoutMs) })
        .then((response) => response.body?.cancel())
        .catch(() => {});
    }
  }
}

async function judgeFailure(
  target: ProbeTarget,
  call: CallOptions,
  discover: RpcAnswer,
  last: RpcAnswer,
  lastMethod: string,
): Promise<ProbeResult> {
  if (last.outcome === 'error' || discover.outcome === 'error') {
    const answer = last.outcome === 'error' ? last : discover;
    const method = last.outcome === 'error' ? lastMethod : 'server/discover';
    const code = answer.error?.code ?? 'without a code';
    return result(
      'error',
      answer,
      `an MCP endpoint answers, but refused ${method} with JSON-RPC error ${code} "${answer.error?.message ?? ''}" (HTTP ${answer.status}): check the server's logs and configuration`,
    );
  }
  // A 2024-11-05 server has no POST at its stream's URL: its GET stream tells it apart from a wrong path.
  if (last.status === 404 || last.status === 405 || last.status === 400) {
    const stream = await awaitEndpointEvent(target.url, target.headers, call).catch(() => null);
    if (stream?.endpoint) {
      return result(
        'error',
        last,
        `a legacy HTTP+SSE server (MCP 2024-11-05) answers here, not Streamable HTTP: register it with "type": "sse" to proxy it`,
      );
    }
  }
  if (last.status === 404) {
    return result(
      'not-found',
      last,
      `the host answers, but nothing is at ${target.url.pathname} (HTTP 404): check the URL's path`,
    );
  }
  if (last.status >= 500) return result('error', last, `server error (HTTP ${last.status})`);
  if (last.status >= 400) {
    return result(
      'error',
      last,
      `refused ${lastMethod} with HTTP ${last.status}: check the server's logs, and that this URL is its MCP endpoint`,
    );
  }
  return result(
    'error',
    last,
    `answered HTTP ${last.status} with ${last.type || 'no body'}, not JSON-RPC: is this the MCP endpoint?`,
  );
}

async function probeSse(target: ProbeTarget, call: CallOptions): Promise<ProbeResult> {
  const answer = await awaitEndpointEvent(target.url, target.headers, call);
  const base = { latencyMs: answer.latencyMs, httpStatus: answer.status };
  const judged = (state: HealthState, detail: string): ProbeResult => ({ ...base, state, detail });
  if (answer.endpoint && !sameOrigin(answer.endpoint, target.url)) {
    return judged(
      'error',
      `its stream named an endpoint on another origin (${answer.endpoint}): the gateway only POSTs to ${target.url.origin}`,
    );
  }
  if (answer.endpoint) {
    return judged(
      'up',
      `a legacy HTTP+SSE server (MCP 2024-11-05): its stream named the endpoint ${answer.endpoint}`,
    );
  }
  if (answer.status === 401 || answer.status === 403) {
    return judged(
      'auth-required',
      `needs credentials (HTTP ${answer.status}): add them to the server's headers`,
    );
  }
  if (answer.status === 404) {
    return judged(
      'not-found',
      `the host answers, but nothing is at ${target.url.pathname} (HTTP 404): check the URL's path`,
    );
  }
  if (answer.status === 200 && answer.type === 'text/event-stream') {
    return judged(
      'error',
      `opened an SSE stream but sent no "endpoint" event within ${call.timeoutMs / 1000}s: is this a legacy HTTP+SSE server? If it speaks Streamable HTTP, register it with "type": "http"`,
    );
  }
  if (answer.status >= 500) return judged('error', `server error (HTTP ${answer.status})`);
  return judged(
    'error',
    `answered GET with HTTP ${answer.status} (${answer.type || 'no body'}), not an SSE stream: if it speaks Streamable HTTP, register it with "type": "http"`,
  );
}

function sameOrigin(endpoint: string, url: URL): boolean {
  try {
    return new URL(endpoint, url).origin === url.origin;
  } catch {
    return false;
  }
}

function result(state: HealthState, answer: RpcAnswer, detail: string): ProbeResult {
  return { state, latencyMs: answer.latencyMs, httpStatus: answer.status, detail };
}

function needsCredentials(answer: RpcAnswer): ProbeResult {
  return result(
    'auth-required',
    answer,
    `needs credentials (HTTP ${answer.status}): add them to the server's headers`,
  );
}

function unreachable(error: unknown, timeoutMs: number): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const name = (error as Error).name;
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${timeoutMs / 1000}s`;
  switch (cause?.code) {
    case 'ECONNREFUSED':
      return 'connection refused: is the server running, on this port?';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found: check the host name in the URL';
    case 'ECONNRESET':
      return 'the connection was reset';
    default:
      return cause?.message ?? (error as Error).message;
  }
}
