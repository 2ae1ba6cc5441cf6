import { describe, expect, it } from 'vitest';
import type { CapturedRecord, NewRecord } from '../../src/core/record.js';
import { buildFixture, type FixtureReads } from '../../src/mock/collect.js';
import { FixtureError } from '../../src/mock/fixture.js';
import { makeRecord } from '../helpers/records.js';

/** Reads over records in memory, answering as the store does for what buildFixture asks. */
function readsOf(records: CapturedRecord[]): FixtureReads {
  const byId = new Map(records.map((r) => [r.id, r]));
  const page = (found: CapturedRecord[]) => ({ records: found, hasMore: false, nextCursor: null });
  return {
    session: async (sessionId) => {
      const servers = [...new Set(records.filter((r) => r.sessionId === sessionId).map((r) => r.server))];
      return servers.map((server, key) => ({ server, key }) as never);
    },
    timeline: async (query) => page(records.filter((r) => r.sessionId === query.sessionId)),
    list: async (query) => {
      // The terms these tests send: method and session, as the filter language parses them.
      const wanted = (field: string) =>
        query.filter.terms.find((t) => 'field' in t && t.field === field) as
          | { values: unknown[] }
          | undefined;
      const method = wanted('method')?.values;
      const session = wanted('session')?.values;
      let found = records.filter(
        (r) => (!method || method.includes(r.method)) && (!session || session.includes(r.sessionId)),
      );
      if (query.order === 'desc')
        found = found.filter((r) => query.cursor === undefined || r.id < query.cursor).reverse();
      return page(found.slice(0, query.limit));
    },
    partnerOf: async (record) =>
      record.partnerId !== null
        ? (byId.get(record.partnerId) ?? null)
        : (records.find((r) => r.partnerId === record.id) ?? null),
  };
}

let nextId = 1;
function exchange(
  method: string,
  params: unknown,
  result: unknown,
  extra: Partial<NewRecord> = {},
): CapturedRecord[] {
  const request: CapturedRecord = {
    ...makeRecord({
      method,
      message: JSON.stringify({ jsonrpc: '2.0', id: nextId, method, params }),
      ...extra,
    }),
    id: nextId++,
  };
  const response: CapturedRecord = {
    ...makeRecord({
      method,
      direction: 'server_to_client',
      kind: 'response',
      partnerId: request.id,
      message: JSON.stringify({ jsonrpc: '2.0', id: request.id, result }),
      ...extra,
    }),
    id: nextId++,
  };
  return [request, response];
}

describe('buildFixture', () => {
  it('pairs requests with their answers, keeps the opening apart, and says which session it came from', async () => {
    const records = [
      ...exchange(
        'initialize',
        { protocolVersion: '2025-06-18' },
        { protocolVersion: '2025-06-18', capabilities: {} },
      ),
      ...exchange('tools/call', { name: 'echo' }, { content: [] }),
    ];
    const built = await buildFixture(readsOf(records), { sessionId: 'session-1' });
    expect(built?.fixture.handshake).toMatchObject({
      method: 'initialize',
      result: { protocolVersion: '2025-06-18' },
    });
    expect(built?.fixture.exchanges).toEqual([
      { method: 'tools/call', params: { name: 'echo' }, result: { content: [] }, recordId: records[2]?.id },
    ]);
    expect(built?.fixture.source.sessionId).toBe('session-1');
    expect(await buildFixture(readsOf(records), { sessionId: 'nope' })).toBeNull();
  });

  it('borrows the opening a filter left out, from the session', async () => {
    const records = [
      ...exchange('initialize', {}, { protocolVersion: '2025-06-18', capabilities: {} }),
      ...exchange('tools/call', { name: 'echo' }, { content: [] }),
    ];
    const built = await buildFixture(readsOf(records), { filter: 'method:tools/call' });
    expect(built?.fixture.handshake?.method).toBe('initialize');
    expect(built?.fixture.exchanges.map((e) => e.method)).toEqual(['tools/call']);
  });

  it('refuses a selection of several servers, of nothing answered, or larger than its bound', async () => {
    const two = [
      ...exchange('tools/list', {}, { tools: [] }),
      ...exchange('tools/list', {}, { tools: [] }, { server: 'beta' }),
    ];
    await expect(buildFixture(readsOf(two), { filter: 'method:tools/list' })).rejects.toThrow(
      /several servers \(alpha, beta\)/,
    );
    const unanswered: CapturedRecord[] = [{ ...makeRecord({ method: 'tools/list' }), id: nextId++ }];
    await expect(buildFixture(readsOf(unanswered), { sessionId: 'session-1' })).rejects.toThrow(
      /no answered request/,
    );
    const big = exchange(
      'tools/call',
      { name: 'x' },
      { content: [{ type: 'text', text: 'y'.repeat(4096) }] },
    );
    await expect(buildFixture(readsOf(big), { sessionId: 'session-1' }, { maxBytes: 1024 })).rejects.toThrow(
      FixtureError,
    );
    await expect(buildFixture(readsOf(big), { sessionId: 'session-1' }, { maxBytes: 1024 })).rejects.toThrow(
      /more than 0 MiB|add up to more than/,
    );
  });
});
