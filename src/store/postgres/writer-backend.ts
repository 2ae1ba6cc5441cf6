import type { WriterBackend, WriterBatch } from '../writer-backend.js';
import { ROW_WIDTH, type WriterSettings } from '../writer-protocol.js';
import { openPool, unreachable } from './connection.js';
import { migratePostgres } from './migrations.js';
import { knownToolLists } from './tool-lists.js';
import type { BatchOp } from './write-batch.js';
import { PostgresRecordWriter } from './writer.js';

type InsertOp = Extract<BatchOp, { op: 'insert' }>;

/**
 * The capture worker's batches as the PostgreSQL writer takes them: the packed rows (writer-protocol.ts)
 * become insert ops again, between the other changes at the places `positions` gives.
 */
export function batchOps({ rows, ops, positions }: WriterBatch): BatchOp[] {
  const out: BatchOp[] = [];
  let row = 0;
  const insertUpTo = (to: number) => {
    for (; row < to; row++) {
      const start = row * ROW_WIDTH;
      out.push({
        op: 'insert',
        values: rows.slice(start, start + ROW_WIDTH - 1),
        text: rows[start + ROW_WIDTH - 1] as InsertOp['text'],
      });
    }
  };
  for (let i = 0; i < ops.length; i++) {
    insertUpTo(positions[i] as number);
    out.push(ops[i] as BatchOp);
  }
  insertUpTo(rows.length / ROW_WIDTH);
  return out;
}

/**
 * The writer thread's PostgreSQL store. The network round trips and the driver's encoding of each batch
 * run here, beside the capture worker's parsing, never on the proxy's thread. Measured with the capture
 * bench's traffic (15,339 messages, CPU seconds per thread): with the PostgreSQL writer inside the capture
 * worker, that thread used 4.5-4.8 s; with it here, the capture worker used 3.6 s and this thread 1.0-1.2 s,
 * so capture's busiest thread, which bounds its rate, does about a quarter less. At start it brings the schema
 * up to date (several gateways may start at once: migrations.ts takes a lock) and reads each server's last
 * known tool list for tool-list drift; then the writer (writer.ts) queues batches within its bound while
 * the database is away, drops and counts the rest, and resumes by itself.
 */
export async function postgresWriterBackend(
  settings: WriterSettings & { store: { kind: 'postgres' } },
  problem: (message: string) => void,
): Promise<WriterBackend> {
  const { url } = settings.store;
  // One connection writes; a second lets a retry connect while a broken one is being released.
  const pool = openPool(url, { max: 2, applicationName: `mcp-gateway capture (${settings.instance})` });
  let toolLists: Awaited<ReturnType<typeof knownToolLists>>;
  try {
    await migratePostgres(pool);
    toolLists = await knownToolLists(pool);
  } catch (error) {
    await pool.end().catch(() => {});
    throw (error as Error).message.startsWith('the PostgreSQL store was written by a newer')
      ? error
      : unreachable(url, error);
  }
  const writer = new PostgresRecordWriter({ pool, instance: settings.instance, problem });
  return {
    toolLists,
    write: (batch) => writer.write({ firstSeq: batch.firstSeq, ops: batchOps(batch) }),
    sync: (done) => writer.sync(done),
    outage: () => writer.stats().lastError,
    async close() {
      await writer.close();
      await pool.end().catch(() => {});
    },
  };
}
