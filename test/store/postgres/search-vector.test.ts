import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewRecord } from '../../../src/core/record.js';
import { tokenize } from '../../../src/filter/match-text.js';
import { parseFilter } from '../../../src/filter/parser.js';
import { openPool } from '../../../src/store/postgres/connection.js';
import { importRecords } from '../../../src/store/postgres/import.js';
import { migratePostgres, POSTGRES_MIGRATIONS } from '../../../src/store/postgres/migrations.js';
import { appendNote } from '../../../src/store/postgres/notes.js';
import { postgresLogStore } from '../../../src/store/postgres/store.js';
import { PostgresRecordWriter } from '../../../src/store/postgres/writer.js';
import { RECORD_COLUMNS, recordToValues } from '../../../src/store/rows.js';
import { searchText } from '../../../src/store/search-text.js';
import { startPostgres, type TestPostgres } from '../../helpers/postgres.js';
import { makeRecord, openTestStore, type TestStore } from '../../helpers/records.js';

const NOW = 1_800_000_000_000;

/**
 * The record's tokens as a tsvector literal, made here from FTS5's tokens (filter/match-text.ts) as the
 * docs describe the type: each distinct token with its positions from 1, first 256 of them, up to 16,383.
 */
function expectedLiteral(record: NewRecord): string {
  const positions = new Map<string, number[]>();
  tokenize(searchText(record)).forEach((token, i) => {
    const list = positions.get(token) ?? [];
    if (list.length < 256 && Buffer.byteLength(token) < 2048) list.push(Math.min(i + 1, 16_383));
    positions.set(token, [...new Set(list)]);
  });
  return [...positions]
    .filter(([, list]) => list.length > 0)
    .map(([token, list]) => `'${token}':${list.join(',')}`)
    .join(' ');
}

/** The store over `pool` as a gateway named gw reads it. */
const readStore = (pool: pg.Pool) =>
  postgresLogStore(pool, {
    instance: 'gw',
    writes: {
      importRecords: (input) => importRecords(pool, 'gw', input),
      appendNote: (note) => appendNote(pool, 'gw', note),
    },
  });
const call = (text: string) =>
  JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'tools/call',
    params: { name: 'echo', arguments: { text } },
  });

/** Texts whose tokens stress the binary tsvector: non-ASCII, astral and private-use letters, sizes, NUL. */
const TEXTS = [
  'Café crème at the Zürich office, naïve résumé',
  '東京 の 天気 ÅNGSTRÖM ǅemal',
  // Letters outside the Basic Multilingual Plane (surrogate pairs in JavaScript) next to private-use ones,
  // which sort differently as UTF-16 and as UTF-8.
  '𝒳ray \uE000mark 𐐷deseret \uFFEFtail zebra',
  `${'repeat '.repeat(400)} lastword`,
  `${'filler '.repeat(9_000)} deepword phrase`,
  `${'x'.repeat(3_000)} long-lexeme-neighbour`,
  'nul\u0000inside the text 12345 0xdeadbeef, ticket REF-4242 closed',
  '',
];

const records: NewRecord[] = TEXTS.map((text, i) =>
  makeRecord({ time: NOW - 60_000 + i, method: 'tools/call', message: call(text), summary: `call ${i}` }),
);

const WORDS = [
  'cafe',
  'creme',
  'zurich',
  '東京',
  'angstrom',
  '𝒳ray',
  '\uE000mark',
  '𐐷deseret',
  'zebra',
  'lastword',
  'deepword',
  '"deepword phrase"',
  'neighbour',
  '12345',
  '0xdeadbeef',
  '"REF-4242"',
  'ref-4242',
  'inside',
  'nul*',
  'call',
];

describe('the search vector the PostgreSQL writer stores', () => {
  let server: TestPostgres;
  let pool: pg.Pool;
  let sqlite: TestStore;

  beforeAll(async () => {
    server = await startPostgres();
    pool = openPool(await server.createDatabase());
    await migratePostgres(pool);
    const writer = new PostgresRecordWriter({ pool, instance: 'gw' });
    writer.batch(() => {
      for (const record of records) writer.insert(record);
    });
    await writer.flush();
    expect(writer.stats()).toMatchObject({ written: records.length, lost: 0, dropped: 0 });
    sqlite = openTestStore();
    sqlite.write(records);
  }, 60_000);
  afterAll(async () => {
    sqlite?.close();
    await pool?.end();
    await server?.stop();
  });

  it('holds exactly the tokens and positions of the text form PostgreSQL parses', async () => {
    const { rows } = await pool.query<{ same: boolean; lexemes: number }>(
      `SELECT r.search_vector = t.literal::tsvector AS same, length(r.search_vector) AS lexemes
       FROM (SELECT *, row_number() OVER (ORDER BY id) AS n FROM records) r
       JOIN unnest($1::text[]) WITH ORDINALITY AS t(literal, n) ON t.n = r.n ORDER BY r.id`,
      [records.map(expectedLiteral)],
    );
    expect(rows).toHaveLength(records.length);
    expect(rows.map((row) => row.same)).toEqual(records.map(() => true));
    expect(rows.some((row) => row.lexemes > 10)).toBe(true);
  });

  it.each(WORDS)('%s finds the same records as SQLite', async (word) => {
    const filter = parseFilter(word);
    const store = readStore(pool);
    const inPostgres = (await store.list({ filter, limit: 100, order: 'asc', now: NOW })).records;
    const inSqlite = sqlite.store.list({ filter, limit: 100, order: 'asc', now: NOW }).records;
    expect(inPostgres.map((r) => r.time)).toEqual(inSqlite.map((r) => r.time));
    if (word !== 'nul*') expect(inPostgres.length).toBeGreaterThan(0);
  });
});

describe('a PostgreSQL store written before the writer filled search_vector itself', () => {
  it('keeps finding its records after the upgrade, and finds the new ones', async () => {
    const server = await startPostgres();
    const pool = openPool(await server.createDatabase());
    try {
      // The schema as the previous release left it: migrations 1-5, search_text holding the literal.
      await pool.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY)');
      for (let version = 1; version <= 5; version++) {
        await pool.query(POSTGRES_MIGRATIONS[version - 1] as string);
        await pool.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
      }
      const old = makeRecord({ time: NOW - 2, message: call('legacy parrot') });
      const columns = [...RECORD_COLUMNS, 'instance', 'search_text'];
      await pool.query(
        `INSERT INTO records (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
        [...recordToValues(old), 'gw', expectedLiteral(old)],
      );
      expect(await migratePostgres(pool)).toBe(POSTGRES_MIGRATIONS.length);
      const writer = new PostgresRecordWriter({ pool, instance: 'gw' });
      writer.batch(() => writer.insert(makeRecord({ time: NOW - 1, message: call('modern parrot') })));
      await writer.flush();
      expect(writer.stats()).toMatchObject({ written: 1, lost: 0 });
      const store = readStore(pool);
      const find = async (text: string) =>
        (await store.list({ filter: parseFilter(text), limit: 10, order: 'asc', now: NOW })).records.map(
          (r) => r.time,
        );
      expect(await find('parrot')).toEqual([NOW - 2, NOW - 1]);
      expect(await find('legacy')).toEqual([NOW - 2]);
      expect(await find('modern')).toEqual([NOW - 1]);
    } finally {
      await pool.end();
      await server.stop();
    }
  }, 60_000);
});
