import { afterEach, describe, expect, it } from 'vitest';
import { recordFromJson } from '../../src/api/record-from-json.js';
import { type CapturedRecord, recordToJson } from '../../src/core/record.js';
import { makeRecord, openTestStore, type TestStore } from '../helpers/records.js';

let store: TestStore | undefined;
afterEach(() => store?.close());

async function* each<T>(items: T[]): AsyncIterable<T> {
  yield* items;
}

describe('multi-round operations in exports and imports', () => {
  it('keep their links and totals, the links following the new ids even when imported newest first', async () => {
    store = openTestStore();
    const [first, asked, retry, answer] = store.write([
      makeRecord({ method: 'tools/call', jsonrpcId: 1, time: 1000 }),
      makeRecord({ method: 'tools/call', kind: 'response', jsonrpcId: 1, time: 1020 }),
      makeRecord({ method: 'tools/call', jsonrpcId: 2, time: 6000 }),
      makeRecord({ method: 'tools/call', kind: 'response', jsonrpcId: 2, time: 6050 }),
    ]) as [number, number, number, number];
    store.db
      .prepare("UPDATE records SET linked_id = ?, link_kind = 'mrtr-retry' WHERE id = ?")
      .run(first, retry);
    store.db.prepare('UPDATE records SET operation_ms = 5050 WHERE id = ?').run(answer);
    const exported = [first, asked, retry, answer].map((id) =>
      JSON.parse(JSON.stringify(recordToJson(store?.store.get(id) as CapturedRecord))),
    );
    expect(exported[2]).toMatchObject({ linkedId: first, linkKind: 'mrtr-retry', operationMs: null });
    expect(exported[3]).toMatchObject({ linkedId: null, operationMs: 5050 });

    await store.store.importRecords(each(exported.reverse().map(recordFromJson)));
    const imported = store.db
      .prepare(
        'SELECT id, jsonrpc_id, kind, linked_id, link_kind, operation_ms FROM records WHERE id > ? ORDER BY id',
      )
      .all(answer) as {
      id: number;
      jsonrpc_id: string;
      kind: string;
      linked_id: number | null;
      link_kind: string | null;
      operation_ms: number | null;
    }[];
    const newFirst = imported.find((r) => r.jsonrpc_id === '1' && r.kind === 'request');
    const newRetry = imported.find((r) => r.jsonrpc_id === '2' && r.kind === 'request');
    expect(newRetry).toMatchObject({ linked_id: newFirst?.id, link_kind: 'mrtr-retry' });
    expect(imported.find((r) => r.jsonrpc_id === '2' && r.kind === 'response')?.operation_ms).toBe(5050);
  });

  it('keep where an answer’s time went, and read exports from before it was measured as not measured', async () => {
    store = openTestStore();
    const [id] = store.write([
      makeRecord({ kind: 'response', jsonrpcId: 7, time: 2000, durationMs: 310 }),
    ]) as [number];
    store.db.prepare('UPDATE records SET gateway_ms = 0.75, upstream_ms = 305.5 WHERE id = ?').run(id);
    const exported = JSON.parse(JSON.stringify(recordToJson(store.store.get(id) as CapturedRecord)));
    expect(exported).toMatchObject({ gatewayMs: 0.75, upstreamMs: 305.5 });
    const { gatewayMs: _g, upstreamMs: _u, ...older } = exported;
    await store.store.importRecords(each([exported, older].map(recordFromJson)));
    const imported = store.db
      .prepare('SELECT gateway_ms, upstream_ms FROM records WHERE id > ? ORDER BY id')
      .all(id);
    expect(imported).toEqual([
      { gateway_ms: 0.75, upstream_ms: 305.5 },
      { gateway_ms: null, upstream_ms: null },
    ]);
    expect(() => recordFromJson({ ...exported, upstreamMs: -1 })).toThrow(/^upstreamMs: /);
  });

  it('refuse an unknown link kind with a message naming the field', () => {
    const json = { ...recordToJson({ ...makeRecord(), id: 1 }), linkKind: 'sequel' };
    expect(() => recordFromJson(json)).toThrow(/^linkKind: /);
  });
});
