import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommitHorizon, STALE_GAP_MS } from '../../../src/store/postgres/commit-horizon.js';
import { openPool } from '../../../src/store/postgres/connection.js';
import { migratePostgres } from '../../../src/store/postgres/migrations.js';
import { postgresSearchText } from '../../../src/store/postgres/search-text.js';
import { takeIds, writeBatch } from '../../../src/store/postgres/write-batch.js';
import { recordToValues } from '../../../src/store/rows.js';
import { startPostgres, type TestPostgres } from '../../helpers/postgres.js';
import { makeRecord } from '../../helpers/records.js';

let server: TestPostgres;
let pool: pg.Pool;

beforeAll(async () => {
  server = await startPostgres();
  pool = openPool(await server.createDatabase());
  await migratePostgres(pool);
}, 60_000);

afterAll(async () => {
  await pool?.end();
  await server?.stop();
});

/** Stores a record under each of `ids` in `client`'s open transaction. */
async function write(client: pg.PoolClient, ids: number[]): Promise<void> {
  const record = makeRecord();
  const ops = ids.map(() => ({
    op: 'insert' as const,
    values: recordToValues(record),
    text: postgresSearchText(record),
  }));
  await writeBatch(client, 'test', { firstSeq: 1, ops }, ids, () => null);
}

async function commitNew(count: number): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const ids = await takeIds(client, count);
    await write(client, ids);
    await client.query('COMMIT');
    return ids;
  } finally {
    client.release();
  }
}

describe('the commit horizon of a store several gateways write to', () => {
  it('stops below an id still being written, moves past it once it commits, and past a dead one in time', async () => {
    let now = 1_000_000;
    await commitNew(2);
    const horizon = await CommitHorizon.start(pool, { clock: () => now });
    const start = await horizon.lastId();

    // A writer holds the next two ids while another commits a later one.
    const slow = await pool.connect();
    await slow.query('BEGIN');
    const held = await takeIds(slow, 2);
    const [later] = await commitNew(1);
    expect(later).toBeGreaterThan(held[1] as number);
    expect(await horizon.lastId()).toBe(start);
    now += STALE_GAP_MS - 1;
    expect(await horizon.lastId()).toBe(start);

    await write(slow, held);
    await slow.query('COMMIT');
    slow.release();
    expect(await horizon.lastId()).toBe(later);

    // Ids taken by a transaction that rolls back never commit: passed over once stale.
    const gone = await pool.connect();
    await gone.query('BEGIN');
    await takeIds(gone, 1);
    await gone.query('ROLLBACK');
    gone.release();
    const [after] = await commitNew(1);
    expect(await horizon.lastId()).toBe(later);
    now += STALE_GAP_MS;
    expect(await horizon.lastId()).toBe(after);
  });
});
