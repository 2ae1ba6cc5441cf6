import { GatewayError } from '../core/errors.js';
import { diffJson, type JsonDiff } from '../core/json-diff.js';
import { type CapturedRecord, DERIVED_SESSION_PREFIX } from '../core/record.js';
import { REPLAY_HEADER, replayMark } from '../core/replay-mark.js';
import type { AsyncLogStore } from '../store/log-store.js';
import { checkAnswer, replayFailure } from './failures.js';
import { findReplay } from './find-records.js';
import { type Handshake, handshakeFor, REPLAY_CLIENT, withReplayClient } from './handshake.js';
import { type LoopbackAnswer, LoopbackSession } from './loopback-session.js';
import { editedRequest, originalRequest, type RequestMessage } from './request-message.js';

export interface ReplayDeps {
  /** The caller's view of the store (its server scope applied): a record outside it is a 404. */
  store: AsyncLogStore;
  /** The gateway's own proxy URL for a server (`/s/<name>/mcp`). */
  proxyUrl: (server: string) => string;
  /** Over HTTPS, a fetch that trusts the gateway's own certificate. */
  fetch?: typeof fetch;
  /** Under --proxy-auth, the gateway token the loopback leg shows the proxy. */
  proxyToken?: string | null;
  /** Resolves once everything captured so far is stored. */
  flushCapture: () => Promise<void>;
  timeoutMs?: number;
}

/** What the app gives every replay; the caller's scoped store and the proxy URLs are added per request. */
export type ReplayLoopback = Omit<ReplayDeps, 'store' | 'proxyUrl'>;

export interface ReplayOptions {
  /** The edited request; the original's when absent. */
  message?: unknown;
  /** `original`: send on the original client's session, when it is still open; else a session of its own. */
  session?: 'new' | 'original';
}

export interface ReplayOutcome {
  original: { request: CapturedRecord; response: CapturedRecord | null };
  replay: { request: CapturedRecord | null; response: CapturedRecord | null };
  diff: JsonDiff;
  durations: { originalMs: number | null; replayMs: number | null };
  session: {
    mode: 'new' | 'original';
    id: string | null;
    protocolVersion: string | null;
    initializeFrom: number | null;
  };
}

export const DEFAULT_REPLAY_TIMEOUT_MS = 30_000;
const PROXY_TOKEN_HEADER = 'x-mcp-gateway-token';

/**
 * Sends a captured client request again to its server through the gateway's own proxy, so the replay is
 * captured like any traffic (linked by `replayOf`) and passes whatever the proxy applies. Answers the
 * original and the replay, as records, with a structural diff of their answers.
 */
export async function replayRecord(
  deps: ReplayDeps,
  id: number,
  options: ReplayOptions = {},
): Promise<ReplayOutcome> {
  // Each replay holds a session and an answer in memory until it ends: a bounded number at once.
  if (inFlight >= MAX_REPLAYS_IN_FLIGHT) {
    throw new GatewayError(
      429,
      `${MAX_REPLAYS_IN_FLIGHT} replays are already running; wait for one to finish and replay again.`,
      { headers: { 'retry-after': '1' } },
    );
  }
  inFlight++;
  try {
    return await replayOnce(deps, id, options);
  } finally {
    inFlight--;
  }
}

const MAX_REPLAYS_IN_FLIGHT = 16;
let inFlight = 0;

async function replayOnce(deps: ReplayDeps, id: number, options: ReplayOptions): Promise<ReplayOutcome> {
  const original = await deps.store.get(id);
  if (!original) {
    throw new GatewayError(404, `No record with id ${id}; it may have been deleted or pruned.`);
  }
  const request = originalRequest(original);
  const message = editedRequest(request, options.message);
  const mode = options.session ?? 'new';
  const timeoutMs = deps.timeoutMs ?? DEFAULT_REPLAY_TIMEOUT_MS;
  const session = new LoopbackSession({
    url: deps.proxyUrl(original.server),
    fetch: deps.fetch ?? fetch,
    headers: {
      'user-agent': `${REPLAY_CLIENT.name}/${REPLAY_CLIENT.version}`,
      ...(deps.proxyToken ? { [PROXY_TOKEN_HEADER]: deps.proxyToken } : {}),
    },
    signal: AbortSignal.timeout(timeoutMs),
  });
  const handshake: Handshake | null =
    mode === 'original' ? null : await handshakeFor(original, message, deps.store);
  const since = await deps.store.lastId();
  const started = performance.now();
  let answer: LoopbackAnswer;
  try {
    const sent = await open(session, original, handshake, message);
    answer = await session.post(sent, {
      [REPLAY_HEADER]: replayMark(original.id),
      ...modernHeaders(sent, session),
    });
  } catch (error) {
    throw replayFailure(error, original.server, timeoutMs);
  } finally {
    if (mode === 'new') await session.close();
  }
  const measuredMs = performance.now() - started;
  checkAnswer(answer, original, mode);
  const replay = await findReplay(deps, original, message.method, since);
  const originalResponse = await deps.store.partnerOf(original);
  return {
    original: { request: original, response: originalResponse },
    replay,
    diff: diffJson(
      parsed(originalResponse),
      replay.response ? parsed(replay.response) : answerOf(answer, message.id),
    ),
    durations: {
      originalMs: originalResponse?.durationMs ?? null,
      replayMs: replay.response?.durationMs ?? Math.round(measuredMs * 1000) / 1000,
    },
    session: {
      mode,
      id: session.sessionId,
      protocolVersion: session.protocolVersion,
      initializeFrom: handshake?.kind === 'initialize' ? handshake.from : null,
    },
  };
}

/** Opens the session the request goes on, and returns the request as it is sent there. */
async function open(
  session: LoopbackSession,
  original: CapturedRecord,
  handshake: Handshake | null,
  message: RequestMessage,
): Promise<RequestMessage> {
  if (handshake === null) {
    const id = original.sessionId;
    if (id === null || id.startsWith(DERIVED_SESSION_PREFIX)) {
      throw new GatewayError(
        409,
        `Record ${original.id} was not sent on a session the gateway could join (it has ${id === null ? 'no session' : 'a sessionless conversation'}). Replay it without "session": "original" to open a session of its own.`,
      );
    }
    session.sessionId = id;
    session.protocolVersion = original.protocolVersion;
    return message;
  }
  if (handshake.kind === 'per-request') {
    session.protocolVersion = handshake.protocolVersion;
    return withReplayClient(message);
  }
  // MCP lifecycle, "Initialization": initialize, its answer, then notifications/initialized.
  const init = await session.post({ jsonrpc: '2.0', id: 0, method: 'initialize', params: handshake.params });
  const result = init.messages.find((m) => (m as { id?: unknown }).id === 0) as
    | { result?: { protocolVersion?: unknown }; error?: { message?: unknown } }
    | undefined;
  if (init.status >= 400 || !result?.result) {
    const said = result?.error?.message ?? (init.text.slice(0, 300) || `HTTP ${init.status}`);
    throw new GatewayError(
      502,
      `Server "${original.server}" refused the replay's initialize: ${String(said)}. Check that the server is up (its page in the web UI, GET /api/servers/${original.server}) and replay again.`,
    );
  }
  const agreed = result.result.protocolVersion;
  session.protocolVersion = typeof agreed === 'string' ? agreed : handshake.params.protocolVersion;
  await session.post({ jsonrpc: '2.0', method: 'notifications/initialized' });
  return message;
}

/** 2026-07-28 requests mirror their method and name into headers (Streamable HTTP, "Request Metadata"). */
function modernHeaders(message: RequestMessage, session: LoopbackSession): Record<string, string> {
  if (
    session.sessionId !== null ||
    session.protocolVersion === null ||
    session.protocolVersion < '2026-07-28'
  ) {
    return {};
  }
  const params = (message.params ?? {}) as Record<string, unknown>;
  const name = message.method === 'resources/read' ? params.uri : params.name;
  const named =
    ['tools/call', 'prompts/get', 'resources/read'].includes(message.method) && typeof name === 'string';
  return { 'mcp-method': message.method, ...(named ? { 'mcp-name': name as string } : {}) };
}

function parsed(record: CapturedRecord | null): unknown {
  if (!record) return null;
  try {
    return JSON.parse(record.message);
  } catch {
    return record.message;
  }
}

/** The answer from the wire, when capture could not give it (its queue was full). */
function answerOf(answer: LoopbackAnswer, id: RequestMessage['id']): unknown {
  return (
    answer.messages.find((m) => (m as { id?: unknown }).id === id && !('method' in (m as object))) ?? null
  );
}
