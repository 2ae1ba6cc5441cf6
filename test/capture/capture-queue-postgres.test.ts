import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptureQueue } from '../../src/capture/capture-queue.js';
import type { CaptureEvent } from '../../src/core/capture-events.js';
import { openPool } from '../../src/store/postgres/connection.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { eventually, pgRecords } from '../store/postgres/write-support.js';

let server: TestPostgres;

beforeAll(async () => {
  server = await startPostgres();
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

let exchange = 0;

/** One POST exchange as the proxy reports it: a JSON-RPC request and its JSON answer. */
function post(
  sessionId: string | null,
  request: Record<string, unknown>,
  result: unknown,
  headers: Record<string, string> = {},
): CaptureEvent[] {
  const x = ++exchange;
  const time = Date.now();
  const body = JSON.stringify({ jsonrpc: '2.0', ...request });
  const answer = JSON.stringify({ jsonrpc: '2.0', id: request.id, result });
  return [
    {
      type: 'exchange-start',
      exchange: x,
      time,
      server: 'everything',
      sessionId,
      httpMethod: 'POST',
      requestHeaders: { 'content-type': 'application/json' },
      configuredHeaders: [],
      body,
      bodySize: body.length,
      bodyTruncated: false,
    },
    {
      type: 'response-start',
      exchange: x,
      time: time + 1,
      status: 200,
      headers: { 'content-type': 'application/json', ...headers },
      mode: 'json',
      origin: 'upstream',
    },
    { type: 'response-chunk', exchange: x, time: time + 2, chunk: new TextEncoder().encode(answer) },
    { type: 'exchange-end', exchange: x, time: time + 3, error: null, lostChunks: 0 },
  ];
}

const tool = (name: string) => ({ name, description: `the ${name} tool`, inputSchema: { type: 'object' } });

function queueOn(url: string, options: { queueBytes?: number; log?: (m: string) => void } = {}) {
  return new CaptureQueue({
    store: { kind: 'postgres', url },
    instance: 'gw-a',
    maxMessageBytes: 1024 * 1024,
    queueBytes: options.queueBytes ?? 64 * 1024 * 1024,
    log: options.log ?? (() => {}),
  });
}

function emitAll(queue: CaptureQueue, events: CaptureEvent[]): number {
  let accepted = 0;
  for (const event of events) accepted += Number(queue.emit(event, 1000));
  return accepted;
}

describe('capture into a PostgreSQL store', () => {
  let pool: pg.Pool;
  afterAll(async () => {
    await pool?.end();
  });

  it('stores linked records under the instance name, sessions, method totals and tool-list drift across restarts', async () => {
    const url = await server.createDatabase();
    pool = openPool(url);
    const first = queueOn(url);
    await first.start();
    emitAll(first, [
      ...post(
        null,
        { id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18' } },
        {
          protocolVersion: '2025-06-18',
          serverInfo: { name: 'everything', version: '1.0' },
          capabilities: {},
        },
        { 'mcp-session-id': 's-1' },
      ),
      ...post('s-1', { id: 1, method: 'tools/list' }, { tools: [tool('echo'), tool('add')] }),
      ...post(
        's-1',
        { id: 2, method: 'tools/call', params: { name: 'echo', arguments: { message: 'hi' } } },
        {
          content: [{ type: 'text', text: 'Echo: hi' }],
        },
      ),
    ]);
    await first.close();
    expect(first.stats()).toMatchObject({ captured: 6, dropped: 0, storeFailures: 0, storeError: null });

    const records = await pgRecords(pool);
    expect(records.map((r) => [r.method, r.kind, r.instance])).toEqual([
      ['initialize', 'request', 'gw-a'],
      ['initialize', 'response', 'gw-a'],
      ['tools/list', 'request', 'gw-a'],
      ['tools/list', 'response', 'gw-a'],
      ['tools/call', 'request', 'gw-a'],
      ['tools/call', 'response', 'gw-a'],
    ]);
    // Each answer names its request by the id PostgreSQL gave it, and carries its duration.
    for (let i = 0; i < 6; i += 2) {
      expect(records[i + 1]?.partnerId).toBe(records[i]?.id);
      expect(records[i + 1]?.durationMs).not.toBeNull();
    }
    const sessions = await pool.query('SELECT server, session_id, server_name FROM sessions');
    expect(sessions.rows).toEqual([{ server: 'everything', session_id: 's-1', server_name: 'everything' }]);
    const totals = await pool.query(
      "SELECT method, messages FROM method_totals WHERE server = 'everything' ORDER BY method",
    );
    expect(totals.rows).toEqual([
      { method: 'initialize', messages: 2 },
      { method: 'tools/call', messages: 2 },
      { method: 'tools/list', messages: 2 },
    ]);
    const listAnswer = records[3]?.id;
    const lists = await pool.query('SELECT server, record_id FROM tool_lists');
    expect(lists.rows).toEqual([{ server: 'everything', record_id: listAnswer }]);

    // A later start compares against the list the store holds: a tool gone is a change.
    const changes: unknown[] = [];
    const second = new CaptureQueue({
      store: { kind: 'postgres', url },
      instance: 'gw-a',
      maxMessageBytes: 1024 * 1024,
      queueBytes: 64 * 1024 * 1024,
      log: () => {},
      onToolListChanged: (change) => changes.push(change),
    });
    await second.start();
    emitAll(second, post('s-2', { id: 1, method: 'tools/list' }, { tools: [tool('echo')] }));
    await second.close();
    expect(changes).toMatchObject([{ server: 'everything', added: 0, removed: 1, changed: 0 }]);
    const stored = await pool.query('SELECT record_id, previous_record_id, removed FROM tool_changes');
    const newAnswer = (await pgRecords(pool)).at(-1)?.id;
    expect(stored.rows).toEqual([{ record_id: newAnswer, previous_record_id: listAnswer, removed: 1 }]);
  }, 60_000);

  it('never holds up the proxy while PostgreSQL is down: drops are counted, the outage is reported, capture resumes', async () => {
    const url = await server.createDatabase();
    const logs: string[] = [];
    const queue = queueOn(url, { queueBytes: 200_000, log: (m) => logs.push(m) });
    await queue.start();
    const call = (n: number) =>
      post('s', { id: n, method: 'tools/call', params: { name: 'echo', arguments: { n } } }, { n });
    emitAll(queue, call(0));
    await queue.flush();
    expect(queue.stats()).toMatchObject({ captured: 2, dropped: 0, storeError: null });

    await server.halt();
    try {
      // A proxied call's capture is a few synchronous pushes: 400 exchanges take far less than a
      // connection attempt would, however long PostgreSQL stays away.
      const started = performance.now();
      for (let n = 1; n <= 400; n++) emitAll(queue, call(n));
      expect(performance.now() - started).toBeLessThan(500);
      await eventually(() => {
        const stats = queue.stats();
        expect(stats.storeError).not.toBeNull();
        expect(stats.dropped).toBeGreaterThan(0);
      }, 20_000);
      // Memory stays bounded: what waits never exceeds the queue's budget (plus the tiny exchange ends).
      expect(queue.stats().queuedBytes).toBeLessThanOrEqual(200_000 + 400 * 1000);
      expect(logs.join('\n')).toMatch(/cannot write capture to the PostgreSQL store: .*resumes by itself/);
      // A flush (a replay, an export) does not wait for the database to come back.
      const flushing = performance.now();
      await queue.flush();
      expect(performance.now() - flushing).toBeLessThan(1000);
    } finally {
      await server.resume();
    }
    await eventually(() => expect(queue.stats().storeError).toBeNull(), 20_000);
    await queue.flush();
    const before = queue.stats().captured;
    emitAll(queue, call(1000));
    await queue.flush();
    const stats = queue.stats();
    expect(stats.captured).toBe(before + 2);
    expect(logs.join('\n')).toMatch(/PostgreSQL store answers again/);

    // Every record counted as captured is in the database; those the queue dropped are counted, not stored.
    const check = openPool(url);
    try {
      const records = await pgRecords(check);
      expect(records.length).toBe(stats.captured);
      expect(records.at(-1)?.message).toContain('"n":1000');
    } finally {
      await check.end();
    }

    // Stopping while PostgreSQL is away is bounded: what cannot be written is given up, not waited for.
    await server.halt();
    try {
      for (let n = 2000; n < 2010; n++) emitAll(queue, call(n));
      const closing = performance.now();
      await queue.close();
      expect(performance.now() - closing).toBeLessThan(15_000);
    } finally {
      await server.resume();
    }
  }, 90_000);
});
