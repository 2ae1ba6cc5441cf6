import type { CapturedRecord } from '../core/record.js';
import {
  type Exchange,
  FIXTURE_FORMAT,
  FIXTURE_VERSION,
  type Fixture,
  FixtureError,
  type Handshake,
} from './fixture.js';

export interface FixtureSource {
  sessionId: string | null;
  filter: string | null;
}

type JsonObject = Record<string, unknown>;

function parseObject(text: string): JsonObject | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as JsonObject)
      : null;
  } catch {
    return null;
  }
}

/** A client request and the server's answer to it, as captured. */
interface Pair {
  request: CapturedRecord;
  response: CapturedRecord;
}

/**
 * The client's requests paired with the answers the server gave them (linked by capture through
 * `partnerId`), oldest first. Notifications, server-to-client requests, stderr lines and requests that
 * were never answered stay out: a mock only answers. A message capture cut short cannot be replayed.
 */
function pairs(records: readonly CapturedRecord[]): { pairs: Pair[]; skipped: number } {
  const requests = new Map<number, CapturedRecord>();
  for (const record of records) {
    if (record.direction === 'client_to_server' && record.kind === 'request') requests.set(record.id, record);
  }
  const found: Pair[] = [];
  let skipped = 0;
  for (const record of records) {
    if (record.direction !== 'server_to_client') continue;
    if (record.kind !== 'response' && record.kind !== 'error') continue;
    const request = record.partnerId === null ? undefined : requests.get(record.partnerId);
    if (!request) continue;
    if (request.truncated || record.truncated) skipped++;
    else found.push({ request, response: record });
  }
  found.sort((a, b) => a.request.id - b.request.id);
  return { pairs: found, skipped };
}

function exchangeOf(pair: Pair): Exchange | null {
  const request = parseObject(pair.request.message);
  const response = parseObject(pair.response.message);
  if (!request || !response || typeof request.method !== 'string') return null;
  const exchange: Exchange = { method: request.method, recordId: pair.request.id };
  if (request.params !== undefined) exchange.params = request.params;
  if (response.error !== undefined) {
    const error = response.error as Exchange['error'];
    if (typeof error?.code !== 'number' || typeof error.message !== 'string') return null;
    exchange.error = error;
  } else if (response.result !== undefined) {
    exchange.result = response.result;
  } else {
    return null;
  }
  return exchange;
}

function handshakeOf(exchanges: readonly Exchange[]): Handshake | null {
  for (const method of ['initialize', 'server/discover'] as const) {
    const found = exchanges.find((e) => e.method === method && e.result !== undefined);
    if (found) {
      return {
        method,
        ...(found.params !== undefined ? { params: found.params } : {}),
        result: found.result as Record<string, unknown>,
      };
    }
  }
  return null;
}

/**
 * A fixture from captured records of one server (a session's timeline, or what a filter selected).
 * Throws FixtureError when the records hold no answered request, or span several servers.
 */
export function fixtureFromRecords(
  records: readonly CapturedRecord[],
  source: FixtureSource,
  now: Date = new Date(),
): { fixture: Fixture; skipped: number } {
  const found = pairs(records);
  const servers = [...new Set(found.pairs.map((p) => p.request.server))];
  if (servers.length > 1) {
    throw new FixtureError(
      `the selection holds traffic of several servers (${servers.join(', ')}); a mock stands in for one: add server:<name> to the filter, or pass --server <name>`,
    );
  }
  const exchanges = found.pairs.map(exchangeOf).filter((e): e is Exchange => e !== null);
  if (servers.length === 0 || exchanges.length === 0) {
    throw new FixtureError(
      'the selection holds no answered request to replay: pick a session with traffic (GET /api/sessions lists them), or a filter that selects requests and their answers',
    );
  }
  const handshake = handshakeOf(exchanges);
  const first = found.pairs[0] as Pair;
  const named = found.pairs.find((p) => p.response.serverName !== null)?.response;
  const fixture: Fixture = {
    format: FIXTURE_FORMAT,
    version: FIXTURE_VERSION,
    server: {
      name: first.request.server,
      serverInfo: named ? { name: named.serverName, version: named.serverVersion } : null,
      protocolVersion:
        found.pairs.find((p) => p.request.protocolVersion !== null)?.request.protocolVersion ?? null,
    },
    source: { sessionId: source.sessionId, filter: source.filter, exportedAt: now.toISOString() },
    handshake,
    exchanges: exchanges.filter((e) => e.method !== handshake?.method),
  };
  return { fixture, skipped: found.skipped };
}
