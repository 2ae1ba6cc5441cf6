import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseFilter } from '../../src/filter/parser.js';
import { SqliteRecordSink } from '../../src/store/record-writer.js';
import { makeRecord, openTestStore, type TestStore } from '../helpers/records.js';

describe('running totals of sessions, methods and servers', () => {
  let t: TestStore;
  beforeEach(() => {
    t = openTestStore();
  });
  afterEach(() => t.close());

  it('add up what the writer stores', () => {
    t.write([
      makeRecord({ method: 'tools/call', time: 1000 }),
      makeRecord({ method: 'tools/call', kind: 'response', durationMs: 10, tokens: 5, time: 1010 }),
      makeRecord({ method: 'tools/call', kind: 'error', durationMs: 30, errorMessage: 'x', time: 1020 }),
      makeRecord({ method: 'ping', server: 'beta', sessionId: 's-2', clientName: 'other', time: 2000 }),
      makeRecord({ method: null, kind: 'stderr', sessionId: null, time: 3000 }),
    ]);
    const [beta, alpha] = t.store.sessions({ limit: 10 }).sessions;
    expect(alpha).toMatchObject({
      server: 'alpha',
      sessionId: 'session-1',
      messages: 3,
      errors: 1,
      firstSeen: 1000,
      lastSeen: 1020,
    });
    expect(beta).toMatchObject({ server: 'beta', sessionId: 's-2', messages: 1, clientName: 'other' });
    expect(t.store.methods('alpha')).toEqual([
      expect.objectContaining({
        method: 'tools/call',
        messages: 3,
        requests: 1,
        errors: 1,
        avgDurationMs: 20,
        tokens: 5,
      }),
      expect.objectContaining({ method: null, messages: 1 }),
    ]);
    expect(t.store.serverTotals()).toEqual(
      expect.arrayContaining([
        { server: 'alpha', messages: 4, errors: 1, sessions: 1, lastSeen: 3000 },
        { server: 'beta', messages: 1, errors: 0, sessions: 1, lastSeen: 2000 },
      ]),
    );
    expect(
      t.store
        .clients()
        .map((c) => c.name)
        .sort(),
    ).toEqual(['other', 'test-client']);
  });

  it('count a request in its session once its answer tells the session, and an HTTP error as an error', () => {
    const sink = new SqliteRecordSink(t.db);
    let id = 0;
    sink.batch(() => {
      id = sink.insert(makeRecord({ method: 'initialize', sessionId: null, httpStatus: null }));
    });
    expect(t.store.sessions({ limit: 10 }).sessions).toEqual([]);
    sink.batch(() => sink.completeRequest(id, 500, 'new-session'));
    expect(t.store.session('new-session')).toEqual([expect.objectContaining({ messages: 1, errors: 1 })]);
    expect(t.store.methods()).toEqual([expect.objectContaining({ method: 'initialize', errors: 1 })]);
  });

  it('take deleted records away, and drop what is left empty, search index included', async () => {
    t.write([
      makeRecord({ method: 'tools/call', summary: 'findable words' }),
      makeRecord({ method: 'tools/call', kind: 'error', errorMessage: 'boom' }),
      makeRecord({ method: 'ping', server: 'beta', sessionId: 's-2' }),
    ]);
    expect(await t.store.deleteMatching(parseFilter('server:beta'))).toBe(1);
    expect(t.store.sessions({ limit: 10 }).sessions.map((s) => s.server)).toEqual(['alpha']);
    expect(t.store.methods()).toEqual([
      expect.objectContaining({ method: 'tools/call', messages: 2, errors: 1 }),
    ]);
    expect(await t.store.deleteMatching(parseFilter('has:error'))).toBe(1);
    expect(t.store.session('session-1')).toEqual([expect.objectContaining({ messages: 1, errors: 0 })]);
    expect(await t.store.deleteMatching(parseFilter(''))).toBe(1);
    expect(t.store.methods()).toEqual([]);
    expect(
      (
        t.db.prepare("SELECT count(*) AS n FROM records_fts WHERE records_fts MATCH 'findable'").get() as {
          n: number;
        }
      ).n,
    ).toBe(0);
  });

  it('autocomplete values from the summaries', () => {
    t.write([
      makeRecord({ method: 'tools/call' }),
      makeRecord({ method: 'tools/list' }),
      makeRecord({ method: 'resources/read', server: 'web_1', sessionId: 'abc' }),
    ]);
    expect(t.store.values('methods', 'tools/', 10).sort()).toEqual(['tools/call', 'tools/list']);
    expect(t.store.values('servers', 'web_', 10)).toEqual(['web_1']);
    // "_" is literal in a prefix, not a LIKE wildcard.
    expect(t.store.values('servers', 'webx', 10)).toEqual([]);
    expect(t.store.values('sessions', 'ab', 10)).toEqual(['abc']);
    expect(t.store.values('clients', '', 10)).toEqual(['test-client']);
  });
});
