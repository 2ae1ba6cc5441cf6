import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CapturedRecord, NewRecord } from '../../../src/core/record.js';
import { parseFilter } from '../../../src/filter/parser.js';
import type { AsyncLogStore, Order } from '../../../src/store/log-store.js';
import { statsTraffic } from '../../helpers/stats-traffic.js';
import { BIG_BYTES, ENTRIES, NOW } from './fixture.js';

/** A store of one backend, empty, with a way to write captured records into it. */
export interface OpenedStore {
  store: AsyncLogStore;
  /** Stores records as capture would, in order; returns their ids. */
  write(records: NewRecord[]): Promise<number[]>;
  close(): Promise<void>;
  /**
   * What `instance:` sees: the instance name every written record carries (a shared store), or null where
   * the store names no instance (the embedded store, opened without one): `instance:x` then finds nothing.
   */
  instance: string | null;
}

/** Writes the fixture in order, linking each response to its request's new id; the ids by letter. */
async function writeFixture(opened: OpenedStore): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const entry of ENTRIES) {
    const partnerId = entry.partner === undefined ? null : (ids.get(entry.partner) as number);
    const [id] = await opened.write([{ ...entry.record, partnerId }]);
    ids.set(entry.name, id as number);
  }
  return ids;
}

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/**
 * The store contract, run against every backend (test/store/contract/<backend>.test.ts): what a user of
 * the UI, the REST API and the MCP tools relies on, whichever database holds the traffic.
 */
export function describeStoreContract(name: string, open: () => Promise<OpenedStore>): void {
  describe(`the ${name} store`, () => {
    let opened: OpenedStore;
    let store: AsyncLogStore;
    let ids: Map<string, number>;
    const letters = (records: CapturedRecord[]) =>
      records.map((r) => [...ids].find(([, id]) => id === r.id)?.[0] ?? `#${r.id}`).sort();
    const find = async (filter: string) =>
      letters(
        (await store.list({ filter: parseFilter(filter), limit: 100, order: 'asc', now: NOW })).records,
      );

    beforeAll(async () => {
      opened = await open();
      store = opened.store;
      ids = await writeFixture(opened);
    });
    afterAll(async () => opened?.close());

    describe('filters find the same records', () => {
      it.each([
        ['server:alpha', 'ABCDHJK'],
        ['-server:alpha', 'EFGI'],
        ['server:al*', 'ABCDHJK'],
        ['client~CLAUDE', 'ABCDHJK'],
        // A negated field matches records that do not have it at all.
        ['-client:claude-code', 'EFGI'],
        ['-has:session', 'GI'],
        ['method:tools/*', 'CDEFJ'],
        ['method:tools/call,initialize -kind:response', 'ACEFJ'],
        ['status:5xx', 'I'],
        ['status!=200', 'GI'],
        ['duration>100', 'DF'],
        ['duration>=0.1s duration<1s', 'DF'],
        ['code:-32601', 'F'],
        ['rpcid:7', 'J'],
        ['rpcid:abc-7', 'EF'],
        ['tool:echo', 'C'],
        ['tool:delete_*', 'E'],
        ['-tool:echo', 'ABDEFGHIJK'],
        ['has:error', 'FI'],
        ['kind:stderr,other', 'GI'],
        ['error~unknown', 'F'],
        ['last:15m', 'IJK'],
        ['before:15m', 'ABCDEFGH'],
        ['size>100kb', 'K'],
        ['dir:s2c transport:stdio', 'G'],
      ])('%s finds %s', async (filter, expected) => {
        expect((await find(filter)).join('')).toBe(expected);
      });

      it('id: compares record ids', async () => {
        expect((await find(`id>${ids.get('I')}`)).join('')).toBe('JK');
      });

      it.each([
        ['weather', 'C'],
        ['WEATHER', 'C'],
        ['paris sunny', 'C'],
        ['"rate limit"', 'D'],
        ['"limit rate"', ''],
        ['weath*', 'C'],
        ['-weather server:alpha', 'ABDHJK'],
        // Colons, slashes and other punctuation are searched as the words around them.
        ['"Paris: sunny"', 'C'],
        ['10:30', 'D'],
        ['tools/call', 'CDEFJ'],
        ['/tmp/x', 'E'],
        ['"Unknown tool: delete_file"', 'F'],
        // Punctuation alone is looked for as it is.
        ['::', 'G'],
        ['-:: kind:stderr', ''],
        // Whole words: "call" is in "tools/call" but not in "recall".
        ['call', 'CDEFJ'],
        ['recall', 'H'],
        // Case and diacritics fold away, as FTS5's unicode61 tokenizer folds them.
        ['café', 'J'],
        ['CAFE', 'J'],
        ['nothing-like-this', ''],
      ])('free text %s finds %s', async (filter, expected) => {
        expect((await find(filter)).join('')).toBe(expected);
      });

      // Where the backends differ, the backend says so (OpenedStore.instance) rather than the test skipping.
      it('instance: finds the records of the instance that captured them', async () => {
        const expected = opened.instance === null ? '' : 'ABCDEFGHIJK';
        expect((await find(`instance:${opened.instance ?? 'any'}`)).join('')).toBe(expected);
        expect((await find('-instance:some-other-gateway')).join('')).toBe('ABCDEFGHIJK');
      });

      it('count answers what a delete of the same filter would remove', async () => {
        expect(await store.count(parseFilter('server:alpha'))).toBe(7);
        expect(await store.count(parseFilter(''))).toBe(ENTRIES.length);
      });
    });

    describe('pages', () => {
      const walk = async (order: Order, limit: number) => {
        const seen: number[] = [];
        let cursor: number | undefined;
        for (;;) {
          const page = await store.list({ filter: parseFilter(''), limit, order, cursor, bodies: false });
          seen.push(...page.records.map((r) => r.id));
          if (!page.nextCursor) return seen;
          expect(page.hasMore).toBe(true);
          cursor = Number(page.nextCursor);
        }
      };

      it('keyset pages visit every record once, newest or oldest first', async () => {
        const ascending = [...ids.values()].sort((a, b) => a - b);
        expect(await walk('asc', 3)).toEqual(ascending);
        expect(await walk('desc', 4)).toEqual([...ascending].reverse());
      });

      it('a page of bodies ends early at maxBytes, always holding at least one record', async () => {
        const page = await store.list({ filter: parseFilter(''), limit: 5, order: 'desc', maxBytes: 50_000 });
        expect(page.records.map((r) => r.id)).toEqual([ids.get('K')]);
        expect(page.records[0]?.message.length).toBeGreaterThan(BIG_BYTES);
        expect(page.hasMore).toBe(true);
        const next = await store.list({
          filter: parseFilter(''),
          limit: 5,
          order: 'desc',
          maxBytes: 50_000,
          cursor: Number(page.nextCursor),
        });
        expect(next.records.map((r) => r.id)).toEqual(['J', 'I', 'H', 'F', 'G'].map((l) => ids.get(l)));
      });

      it('rows without bodies leave the message out; get returns the whole record', async () => {
        const page = await store.list({
          filter: parseFilter('tool:echo'),
          limit: 5,
          order: 'asc',
          bodies: false,
        });
        expect(page.records[0]?.message).toBe('');
        const whole = await store.get(ids.get('C') as number);
        expect(whole?.message).toBe(ENTRIES[2]?.record.message);
        expect(whole?.jsonrpcId).toBe(2);
        expect(whole?.summary).toBe('echo(message: Weather in Paris: sunny)');
        expect(await store.get(999_999)).toBeNull();
      });

      it('a request and its answer find each other', async () => {
        const request = (await store.get(ids.get('A') as number)) as CapturedRecord;
        const response = (await store.get(ids.get('B') as number)) as CapturedRecord;
        expect((await store.partnerOf(request))?.id).toBe(response.id);
        expect((await store.partnerOf(response))?.id).toBe(request.id);
      });

      it('tail reads what was committed after a position, a page at a time, up to a bound', async () => {
        const through = await store.lastId();
        const first = await store.tail({
          filter: parseFilter(''),
          after: ids.get('C') as number,
          through,
          limit: 3,
        });
        expect(first.records.map((r) => r.id)).toEqual(['D', 'E', 'G'].map((l) => ids.get(l)));
        expect(first.hasMore).toBe(true);
        const rest = await store.tail({
          filter: parseFilter('server:alpha'),
          after: first.cursor,
          through,
          limit: 10,
        });
        expect(rest.records.map((r) => r.id)).toEqual(['H', 'J', 'K'].map((l) => ids.get(l)));
        expect(rest.hasMore).toBe(false);
        expect(rest.cursor).toBe(through);
      });

      it('lastId is the newest id; iterate walks every match in order', async () => {
        expect(await store.lastId()).toBe(ids.get('K'));
        const walked = await all(store.iterate(parseFilter('server:alpha'), 'asc'));
        expect(letters(walked)).toEqual([...'ABCDHJK']);
        expect(walked.map((r) => r.id)).toEqual([...walked.map((r) => r.id)].sort((a, b) => a - b));
      });
    });

    describe('sessions and summaries', () => {
      it('lists sessions newest first with their totals and identities', async () => {
        const page = await store.sessions({ limit: 10 });
        expect(page.sessions.map((s) => s.sessionId)).toEqual(['s2', 's1']);
        const [s2, s1] = page.sessions;
        expect(s1).toMatchObject({ server: 'alpha', clientName: 'claude-code', messages: 7, errors: 0 });
        expect(s2).toMatchObject({ server: 'beta', clientName: 'cursor', messages: 2, errors: 1 });
        const scoped = await store.sessions({ limit: 10, servers: ['alpha'] });
        expect(scoped.sessions.map((s) => s.sessionId)).toEqual(['s1']);
        const first = await store.sessions({ limit: 1 });
        expect(first.hasMore).toBe(true);
        const rest = await store.sessions({ limit: 1, cursor: Number(first.nextCursor) });
        expect(rest.sessions.map((s) => s.sessionId)).toEqual(['s1']);
        expect((await store.session('s1')).map((s) => s.messages)).toEqual([7]);
      });

      it("a timeline shows the session's records with its server's log lines among them", async () => {
        const timeline = await store.timeline({ sessionId: 's2', limit: 10 });
        expect(timeline.records.map((r) => r.id)).toEqual(['E', 'G', 'F'].map((l) => ids.get(l)));
        const paged = await store.timeline({ sessionId: 's1', limit: 3, bodies: false });
        expect(paged.records).toHaveLength(3);
        expect(paged.hasMore).toBe(true);
      });

      it('clients, methods, server totals and autocomplete values', async () => {
        const clients = await store.clients();
        expect(clients.map((c) => [c.name, c.servers, c.sessions, c.messages]).sort()).toEqual([
          ['claude-code', ['alpha'], 1, 7],
          ['cursor', ['beta'], 1, 2],
        ]);
        const methods = await store.methods('beta');
        const call = methods.find((m) => m.method === 'tools/call');
        expect(call).toMatchObject({ messages: 2, requests: 1, errors: 1, avgDurationMs: 300 });
        expect(methods.find((m) => m.method === null)?.messages).toBe(1);
        const totals = Object.fromEntries((await store.serverTotals()).map((t) => [t.server, t]));
        expect(totals.alpha).toMatchObject({ messages: 7, errors: 0, sessions: 1 });
        expect(totals.beta).toMatchObject({ messages: 3, errors: 1, sessions: 1 });
        expect(totals.gamma).toMatchObject({ messages: 1, errors: 1, sessions: 0 });
        expect(await store.values('servers', 'al', 10)).toEqual(['alpha']);
        expect(await store.values('methods', 'tools', 10)).toEqual(['tools/call']);
        expect(await store.values('clients', 'cl', 10)).toEqual(['claude-code']);
        expect(await store.values('sessions', 's', 10, ['beta'])).toEqual(['s2']);
        expect(await store.values('servers', '%', 10)).toEqual([]);
      });
    });

    describe('statistics', () => {
      it('counts a window by group and by time bucket', async () => {
        const stats = await store.stats({
          filter: parseFilter(''),
          from: NOW - 3_600_000,
          to: NOW,
          bucketMs: 600_000,
          groupBy: 'server',
        });
        expect(stats.totals).toMatchObject({ messages: 11, requests: 4, errors: 2 });
        expect(stats.groups.map((g) => [g.server, g.messages])).toEqual([
          ['alpha', 7],
          ['beta', 3],
          ['gamma', 1],
        ]);
        expect(stats.series).toHaveLength(6);
        expect(stats.series.map((s) => s.messages)).toEqual([0, 2, 2, 3, 1, 3]);
        expect(stats.totals.maxMs).toBe(300);
        // Percentiles are exact from rows; from rollups within one histogram bucket (about 9% wide).
        expect(Math.abs((stats.totals.p50Ms ?? 0) - 120) / 120).toBeLessThan(0.1);
      });

      it('honours the filter and groups by method', async () => {
        const stats = await store.stats({
          filter: parseFilter('server:beta'),
          from: NOW - 3_600_000,
          to: NOW,
          bucketMs: 3_600_000,
          groupBy: 'method',
        });
        expect(stats.totals).toMatchObject({ messages: 3, requests: 1, errors: 1, errorRate: 1 });
        expect(stats.groups.map((g) => [g.server, g.method, g.messages])).toEqual([
          [null, 'tools/call', 2],
          [null, null, 1],
        ]);
      });

      it('groups by server and method at once; groups and buckets add up to the totals', async () => {
        const stats = await store.stats({
          filter: parseFilter(''),
          from: NOW - 3_600_000,
          to: NOW,
          bucketMs: 600_000,
          groupBy: 'server+method',
        });
        expect(stats.totals.messages).toBe(11);
        const sum = (items: { messages: number }[]) => items.reduce((n, item) => n + item.messages, 0);
        expect(sum(stats.groups)).toBe(11);
        expect(sum(stats.series)).toBe(11);
        expect(stats.groups.map((g) => [g.server, g.method, g.messages])).toEqual(
          expect.arrayContaining([
            ['beta', 'tools/call', 2],
            ['beta', null, 1],
          ]),
        );
      });
    });
  });

  describe(`statistics of the ${name} store over days`, () => {
    let opened: OpenedStore;
    // Not on any slot's grid, so every window has partial hours, 5-minute and 1-minute slots at its ends.
    const now = NOW + 37 * 60_000 + 23_456;
    beforeAll(async () => {
      opened = await open();
      await opened.write(statsTraffic(600, now));
    });
    afterAll(async () => opened?.close());

    it('answers from rollups as the records themselves would, for hours, days and a week', async () => {
      const counts = (a: { messages: number; requests: number; errors: number; tokens: number }) => [
        a.messages,
        a.requests,
        a.errors,
        a.tokens,
      ];
      for (const [window, bucketMs] of [
        [3 * 3_600_000, 300_000],
        [24 * 3_600_000, 900_000],
        [7 * 24 * 3_600_000, 3_600_000],
      ] as const) {
        const ask = (filter: string) =>
          opened.store.stats({
            filter: parseFilter(filter),
            from: Math.floor((now - window) / bucketMs) * bucketMs,
            to: now,
            bucketMs,
            groupBy: 'server+method',
          });
        // A term rollups do not keep makes the store read every record of the window.
        const [rolled, raw] = await Promise.all([ask(''), ask('-client:"no such client"')]);
        expect(rolled.totals.messages).toBeGreaterThan(0);
        expect(counts(rolled.totals)).toEqual(counts(raw.totals));
        expect(rolled.series.map(counts)).toEqual(raw.series.map(counts));
        const byGroup = (stats: typeof raw) =>
          stats.groups.map((g) => [g.server, g.method, ...counts(g)]).sort();
        expect(byGroup(rolled)).toEqual(byGroup(raw));
        expect(rolled.totals.maxMs).toBeGreaterThanOrEqual((raw.totals.maxMs ?? 0) * 0.9);
      }
    });
  });

  describe(`changing the ${name} store`, () => {
    let opened: OpenedStore;
    beforeAll(async () => {
      opened = await open();
    });
    afterAll(async () => opened?.close());

    it('deletes what a filter matches and nothing else', async () => {
      await writeFixture(opened);
      expect(await opened.store.deleteMatching(parseFilter('server:beta'))).toBe(3);
      expect(await opened.store.count(parseFilter(''))).toBe(ENTRIES.length - 3);
      expect(await opened.store.count(parseFilter('server:beta'))).toBe(0);
      // Statistics forget them too (whole slots come from rollups, which deletes must keep right).
      const stats = await opened.store.stats({
        filter: parseFilter(''),
        from: NOW - 3_600_000,
        to: NOW,
        bucketMs: 600_000,
        groupBy: 'server',
      });
      expect(stats.totals).toMatchObject({ messages: ENTRIES.length - 3, errors: 1 });
      expect(stats.groups.map((g) => g.server)).toEqual(['alpha', 'gamma']);
      expect(await opened.store.deleteMatching(parseFilter('"rate limit"'))).toBe(1);
      expect(await opened.store.count(parseFilter('server:alpha'))).toBe(6);
    });

    it('imports records with new ids, a response linked to its imported request', async () => {
      const request = ENTRIES[2]?.record as NewRecord;
      const response = ENTRIES[3]?.record as NewRecord;
      async function* file() {
        // Newest first: the response comes before the request it answers.
        yield { ...response, partnerId: 5001, originalId: 5002 };
        yield { ...request, partnerId: null, originalId: 5001 };
      }
      const before = await opened.store.lastId();
      expect(await opened.store.importRecords(file())).toEqual({ imported: 2 });
      const imported = (
        await opened.store.list({ filter: parseFilter(`id>${before}`), limit: 10, order: 'asc' })
      ).records;
      expect(imported.map((r) => r.kind)).toEqual(['response', 'request']);
      expect(imported[0]?.partnerId).toBe(imported[1]?.id);
      expect((await opened.store.partnerOf(imported[1] as CapturedRecord))?.id).toBe(imported[0]?.id);
    });
  });
}
