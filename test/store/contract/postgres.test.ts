import { afterAll, beforeAll } from 'vitest';
import { openPool } from '../../../src/store/postgres/connection.js';
import { importRecords } from '../../../src/store/postgres/import.js';
import { migratePostgres } from '../../../src/store/postgres/migrations.js';
import { appendNote } from '../../../src/store/postgres/notes.js';
import { postgresLogStore } from '../../../src/store/postgres/store.js';
import { startPostgres, type TestPostgres } from '../../helpers/postgres.js';
import { insertRecords } from './postgres-writes.js';
import { describeStoreContract } from './store-contract.js';

const INSTANCE = 'gateway-contract';
let server: TestPostgres;

beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(async () => server?.stop());

describeStoreContract('PostgreSQL', async () => {
  const pool = openPool(await server.createDatabase());
  await migratePostgres(pool);
  return {
    store: postgresLogStore(pool, {
      instance: INSTANCE,
      writes: {
        importRecords: (records) => importRecords(pool, INSTANCE, records),
        appendNote: (note) => appendNote(pool, INSTANCE, note),
      },
    }),
    write: (records) => insertRecords(pool, INSTANCE, records),
    close: () => pool.end(),
    instance: INSTANCE,
  };
});
