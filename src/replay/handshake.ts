import { type CapturedRecord, DERIVED_SESSION_PREFIX } from '../core/record.js';
import { VERSION } from '../core/version.js';
import type { FieldTerm, Filter } from '../filter/ast.js';
import type { AsyncLogStore } from '../store/log-store.js';
import type { RequestMessage } from './request-message.js';

/** How the replay's own session names its client (clientInfo, and `_meta` on 2026-07-28). */
export const REPLAY_CLIENT = { name: 'mcp-gateway replay', version: VERSION } as const;

/** MCP 2026-07-28 and later: no initialize, identity and capabilities ride in each request's `_meta`. */
const MODERN_VERSION = '2026-07-28';
const PROTOCOL_VERSION_KEY = 'io.modelcontextprotocol/protocolVersion';
const CLIENT_INFO_KEY = 'io.modelcontextprotocol/clientInfo';

/** The newest version the SDK speaks: what a replay proposes when the original handshake is gone. */
const FALLBACK_VERSION = '2025-11-25';

/** How the replay's session is opened. */
export type Handshake =
  | {
      kind: 'initialize';
      params: { protocolVersion: string; capabilities: unknown; clientInfo: typeof REPLAY_CLIENT };
      /** The captured initialize it copies, or null when none was found (defaults were used). */
      from: number | null;
    }
  /** 2026-07-28: the request carries version, capabilities and the replay's clientInfo in its `_meta`. */
  | { kind: 'per-request'; protocolVersion: string };

const term = (field: string, value: string | number, op: FieldTerm['op'] = '='): FieldTerm => ({
  type: 'field',
  field,
  op,
  values: [value],
  raw: [String(value)],
  negated: false,
  position: 0,
});

const asObject = (value: unknown): Record<string, unknown> | null =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;

/** The 2026 version the request claims in its `_meta`, if it is of that era. */
export function modernVersion(message: RequestMessage): string | null {
  const meta = asObject(asObject(message.params)?._meta);
  const version = meta?.[PROTOCOL_VERSION_KEY];
  return typeof version === 'string' && version >= MODERN_VERSION ? version : null;
}

/** The request with the replay named as its client in `_meta` (2026-07-28, "Request metadata"). */
export function withReplayClient(message: RequestMessage): RequestMessage {
  const params = asObject(message.params) ?? {};
  const meta = asObject(params._meta) ?? {};
  return { ...message, params: { ...params, _meta: { ...meta, [CLIENT_INFO_KEY]: REPLAY_CLIENT } } };
}

/**
 * The handshake the original session's client made, for the replay to make the same: its captured
 * initialize request's protocol version and capabilities (MCP lifecycle, "Initialization"), with the
 * replay's own clientInfo. A session whose initialize is no longer stored gets the record's protocol
 * version and no capabilities.
 */
export async function handshakeFor(
  original: CapturedRecord,
  message: RequestMessage,
  store: AsyncLogStore,
): Promise<Handshake> {
  const modern = modernVersion(message);
  if (modern) return { kind: 'per-request', protocolVersion: modern };
  const found = await initializeOf(original, store);
  const params = asObject(found?.value?.params);
  const version = params?.protocolVersion;
  return {
    kind: 'initialize',
    params: {
      protocolVersion: typeof version === 'string' ? version : (original.protocolVersion ?? FALLBACK_VERSION),
      capabilities: asObject(params?.capabilities) ?? {},
      clientInfo: REPLAY_CLIENT,
    },
    from: found?.record.id ?? null,
  };
}

async function initializeOf(
  original: CapturedRecord,
  store: AsyncLogStore,
): Promise<{ record: CapturedRecord; value: Record<string, unknown> | null } | null> {
  const session = original.sessionId;
  if (session === null || session.startsWith(DERIVED_SESSION_PREFIX)) return null;
  const filter: Filter = {
    terms: [
      term('server', original.server),
      term('session', session),
      term('method', 'initialize'),
      term('kind', 'request'),
      term('id', original.id, '<'),
    ],
  };
  const record = (await store.list({ filter, limit: 1, order: 'desc' })).records[0];
  if (!record) return null;
  try {
    return { record, value: asObject(JSON.parse(record.message)) };
  } catch {
    return { record, value: null };
  }
}
