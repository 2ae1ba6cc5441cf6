import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFilter } from '../../../src/filter/parser.js';
import { openPool } from '../../../src/store/postgres/connection.js';
import { migratePostgres } from '../../../src/store/postgres/migrations.js';
import { hasPhrase, phrasePage } from '../../../src/store/postgres/phrase-page.js';
import { selectPostgres } from '../../../src/store/postgres/select.js';
import { startPostgres, type TestPostgres } from '../../helpers/postgres.js';
import { makeRecord } from '../../helpers/records.js';
import { insertRecords } from '../contract/postgres-writes.js';

const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);
/** Where "ref 0" is a phrase; everywhere else both words are there, apart. */
const MATCHES = new Set([2, 17, 18, 38]);

describe('a phrase search page on PostgreSQL', () => {
  let server: TestPostgres;
  let pool: pg.Pool;
  let ids: number[];

  beforeAll(async () => {
    server = await startPostgres();
    pool = openPool(await server.createDatabase());
    await migratePostgres(pool);
    const records = Array.from({ length: 40 }, (_, i) => {
      const text = MATCHES.has(i) ? `order REF-0 shipped (${i})` : `ref ${i + 1} of 0 items`;
      return makeRecord({
        time: NOW - (40 - i) * 1000,
        server: i % 2 === 0 ? 'alpha' : 'beta',
        summary: text,
        message: JSON.stringify({ jsonrpc: '2.0', id: i, method: 'tools/call', params: { note: text } }),
      });
    });
    ids = await insertRecords(pool, 'gateway-a', records);
  }, 60_000);
  afterAll(async () => {
    await pool?.end();
    await server?.stop();
  });

  const columns = 'r.id';
  const plain = async (filter: string, order: 'asc' | 'desc', cursor: number | undefined, limit: number) => {
    const select = selectPostgres(parseFilter(filter), { columns, order, cursor, limit, now: NOW });
    return (await pool.query<{ id: number }>(select.text, select.values)).rows.map((r) => Number(r.id));
  };

  it('is used for phrases of two words or more, not for single words or negated phrases', () => {
    expect(hasPhrase(parseFilter('REF-0'))).toBe(true);
    expect(hasPhrase(parseFilter('"ref 0" server:alpha'))).toBe(true);
    expect(hasPhrase(parseFilter('ref'))).toBe(false);
    expect(hasPhrase(parseFilter('ref 0'))).toBe(false);
    expect(hasPhrase(parseFilter('-"ref 0"'))).toBe(false);
  });

  it('finds the same records, page by page both ways, when the matches lie beyond the window it walks', async () => {
    const expected = ids.filter((_, i) => MATCHES.has(i));
    for (const filter of ['REF-0', '"ref 0"', 'REF-0 server:alpha', 'REF-0 -server:alpha']) {
      for (const order of ['desc', 'asc'] as const) {
        // Every cursor, so the window's edge falls before, between and after the matches.
        for (const cursor of [undefined, ...ids]) {
          for (const limit of [1, 2, 3, 10]) {
            const found = await phrasePage(
              pool,
              { filter: parseFilter(filter), columns, order, cursor, limit, now: NOW },
              5,
            );
            const want = await plain(filter, order, cursor, limit);
            expect(
              found.map((r) => Number(r.id)),
              `${filter} ${order} after ${cursor} limit ${limit}`,
            ).toEqual(want);
          }
        }
      }
    }
    expect(await plain('REF-0', 'asc', undefined, 10)).toEqual(expected);
  });
});
