import { readFileSync } from 'node:fs';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIELDS } from '../../../src/filter/fields.js';
import { matchFilter, recordFacts } from '../../../src/filter/match.js';
import { parseFilter } from '../../../src/filter/parser.js';
import { openPool } from '../../../src/store/postgres/connection.js';
import { POSTGRES_FIELDS } from '../../../src/store/postgres/filter-sql.js';
import { importRecords } from '../../../src/store/postgres/import.js';
import { migratePostgres } from '../../../src/store/postgres/migrations.js';
import { appendNote } from '../../../src/store/postgres/notes.js';
import { postgresLogStore } from '../../../src/store/postgres/store.js';
import { startPostgres, type TestPostgres } from '../../helpers/postgres.js';
import { openTestStore, type TestStore } from '../../helpers/records.js';
import { ENTRIES, NOW } from '../contract/fixture.js';
import { insertRecords } from '../contract/postgres-writes.js';

const INSTANCE = 'gateway-filter';

/** Every filter the documentation shows: the fields' examples and those of docs/filter-language.md. */
function documentedExamples(): string[] {
  const page = readFileSync(new URL('../../../docs/filter-language.md', import.meta.url), 'utf8');
  const examples = new Set<string>(FIELDS.flatMap((field) => field.examples));
  const block = /```\n([\s\S]*?)```/.exec(page)?.[1] ?? '';
  for (const line of block.split('\n')) if (line.trim()) examples.add(line.trim());
  for (const row of page.split('\n').filter((l) => l.startsWith('| `'))) {
    const cells = row.split('|');
    for (const m of (cells[cells.length - 2] ?? '').matchAll(/`([^`]+)`/g)) examples.add(m[1] as string);
  }
  for (const extra of ['weath*', '"rate limit"', '-weather', '::', 'tools/call', '"Paris: sunny"', 'cafe']) {
    examples.add(extra);
  }
  return [...examples].filter((example) => {
    try {
      parseFilter(example);
      return true;
    } catch {
      return false;
    }
  });
}

describe('the PostgreSQL filter compiler', () => {
  let server: TestPostgres;
  let pool: pg.Pool;
  let sqlite: TestStore;

  beforeAll(async () => {
    server = await startPostgres();
    pool = openPool(await server.createDatabase());
    await migratePostgres(pool);
    sqlite = openTestStore();
    for (const entry of ENTRIES) {
      await insertRecords(pool, INSTANCE, [entry.record]);
      sqlite.write([entry.record]);
    }
  }, 60_000);
  afterAll(async () => {
    sqlite?.close();
    await pool?.end();
    await server?.stop();
  });

  it('knows every field of the language', () => {
    expect([...POSTGRES_FIELDS].sort()).toEqual(FIELDS.map((f) => f.name).sort());
  });

  const examples = documentedExamples();
  it('has the documented examples to check', () => expect(examples.length).toBeGreaterThan(60));

  it.each(examples)('%s finds the same records in PostgreSQL, in SQLite and in memory', async (example) => {
    const filter = parseFilter(example);
    const store = postgresLogStore(pool, {
      instance: INSTANCE,
      writes: {
        importRecords: (records) => importRecords(pool, INSTANCE, records),
        appendNote: (note) => appendNote(pool, INSTANCE, note),
      },
    });
    const everything = parseFilter('');
    const inPostgres = (await store.list({ filter, limit: 100, order: 'asc', now: NOW })).records.map(
      (r) => r.id,
    );
    const inSqlite = sqlite.store
      .list({ filter, limit: 100, order: 'asc', now: NOW })
      .records.map((r) => r.id);
    const all = (await store.list({ filter: everything, limit: 100, order: 'asc', now: NOW })).records;
    const inMemory = all
      .filter((record) => matchFilter(filter, { ...recordFacts(record), instance: INSTANCE }, { now: NOW }))
      .map((r) => r.id);
    // The same fixture in the same order: ids match one to one.
    expect(inPostgres).toEqual(inMemory);
    if (!example.includes('instance')) expect(inPostgres).toEqual(inSqlite);
  });
});
