import { afterAll, beforeAll } from 'vitest';
import { openPool } from '../../../src/store/postgres/connection.js';
import { READ_MIGRATIONS } from '../../../src/store/postgres/migrations-reads.js';
import { SCHEMA_V1 } from '../../../src/store/postgres/schema.js';
import { postgresLogStore } from '../../../src/store/postgres/store.js';
import { startPostgres, type TestPostgres } from '../../helpers/postgres.js';
import { insertRecords, plainWrites } from './postgres-writes.js';
import { describeStoreContract } from './store-contract.js';

const INSTANCE = 'gateway-contract';
let server: TestPostgres;

beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(async () => server?.stop());

describeStoreContract('PostgreSQL', async () => {
  const pool = openPool(await server.createDatabase());
  for (const migration of [SCHEMA_V1, ...READ_MIGRATIONS]) await pool.query(migration);
  return {
    store: postgresLogStore(pool, { instance: INSTANCE, writes: plainWrites(pool, INSTANCE) }),
    write: (records) => insertRecords(pool, INSTANCE, records),
    close: () => pool.end(),
    instance: INSTANCE,
  };
});
