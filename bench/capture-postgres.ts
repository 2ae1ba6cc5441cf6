import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import type pg from 'pg';
import { DEFAULT_CAPTURE_POLICY } from '../src/capture/policy.js';
import { Recorder } from '../src/capture/recorder.js';
import { openPool } from '../src/store/postgres/connection.js';
import { insertRows, insertRowsByUnnest, NUMERIC } from '../src/store/postgres/insert-rows.js';
import { migratePostgres } from '../src/store/postgres/migrations.js';
import { inTransaction } from '../src/store/postgres/transaction.js';
import { type CaptureBatch, takeIds } from '../src/store/postgres/write-batch.js';
import { PostgresRecordWriter } from '../src/store/postgres/writer.js';
import { RECORD_COLUMNS } from '../src/store/rows.js';
import { startPostgres, type TestPostgres } from '../test/helpers/postgres.js';
import { TrafficWithSecrets } from './capture.js';
import { captureEvents } from './query/capture-cpu.js';
import { type BenchSuite, markdownTable } from './suite.js';

const EXCHANGES = 10_000;
const ROUNDS = 3;
const EVENTS_PER_BATCH = 1024;
const QUEUE_BYTES = 64 * 1024 * 1024;
/** How long after the last commit the server's background processes are still counted. */
const SETTLE_MS = 2000;

/** A writer that keeps the batches capture hands it instead of writing them (the pool is never used). */
class BatchCollector extends PostgresRecordWriter {
  readonly batches: CaptureBatch[] = [];
  override write(batch: CaptureBatch): void {
    this.batches.push(batch);
  }
}

/** The capture batches of the synthetic traffic, as the capture worker makes them (redaction on). */
function captureBatches(pool: pg.Pool): { batches: CaptureBatch[]; messages: number } {
  const collector = new BatchCollector({ pool, instance: 'bench' });
  const recorder = new Recorder({
    sink: collector,
    maxMessageBytes: 8 * 1024 * 1024,
    policy: DEFAULT_CAPTURE_POLICY,
    onStoreFailure: (error) => {
      throw error;
    },
    onListenerError: (listener, error) => {
      throw new Error(`${listener}: ${(error as Error).message}`);
    },
  });
  const events = captureEvents(new TrafficWithSecrets(7), EXCHANGES);
  for (let i = 0; i < events.length; i += EVENTS_PER_BATCH)
    recorder.record(events.slice(i, i + EVENTS_PER_BATCH));
  return { batches: collector.batches, messages: recorder.tally.messages };
}

interface Run {
  messages: number;
  seconds: number;
  perSecond: number;
  dropped: number;
  /** CPU seconds of the server process that ran the writes, and of this process (the writer's JavaScript). */
  serverCpu: number;
  writerCpu: number;
  /** CPU seconds of every server process: the backend, background writers, autovacuum workers. */
  clusterCpu: number;
}

/** CPU seconds a process used so far (Linux: utime + stime in clock ticks, at 100 per second). */
function processCpu(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const statFields = (pid: number | string) =>
  readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];

/**
 * CPU seconds of the whole server: the postmaster with the children it has reaped (autovacuum workers
 * come and go) and those still running. Linux only, as processCpu.
 */
function clusterCpu(postmaster: number): number {
  const own = statFields(postmaster);
  let total = (Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14])) / 100;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = statFields(entry);
      if (Number(fields[1]) === postmaster) total += (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      // The process ended meanwhile; its time is in the postmaster's children's.
    }
  }
  return total;
}

async function postmasterPid(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ dir: string }>("SELECT current_setting('data_directory') AS dir");
  return Number(readFileSync(`${rows[0]?.dir}/postmaster.pid`, 'utf8').split('\n')[0]);
}

/**
 * Feeds the batches to a fresh writer as capture would, pausing while the queue is over half full (as
 * sustained traffic is paced by the network), and times until the last one is committed.
 */
async function writeAll(url: string, batches: readonly CaptureBatch[], messages: number): Promise<Run> {
  // One connection, so that one server process does all the writing and its CPU time can be read.
  const pool = openPool(url, { max: 1 });
  try {
    await pool.query('TRUNCATE records, sessions, method_totals');
    const { rows } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const backend = (rows[0] as { pid: number }).pid;
    const postmaster = await postmasterPid(pool);
    const writer = new PostgresRecordWriter({ pool, instance: 'bench', maxQueuedBytes: QUEUE_BYTES });
    const serverBefore = processCpu(backend);
    const clusterBefore = clusterCpu(postmaster);
    const writerBefore = process.cpuUsage();
    const started = performance.now();
    for (const batch of batches) {
      while (writer.stats().queuedBytes > QUEUE_BYTES / 2)
        await new Promise((resolve) => setTimeout(resolve, 1));
      writer.write(batch);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await writer.flush();
    const seconds = (performance.now() - started) / 1000;
    const serverCpu = processCpu(backend) - serverBefore;
    // Work the writes left to background processes (autovacuum's GIN pending-list cleanup) counts too.
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const cluster = clusterCpu(postmaster) - clusterBefore;
    const used = process.cpuUsage(writerBefore);
    const stats = writer.stats();
    if (stats.written + stats.dropped + stats.lost !== messages)
      throw new Error(`${messages} messages captured, ${stats.written} written`);
    return {
      messages,
      seconds,
      perSecond: stats.written / seconds,
      dropped: stats.dropped + stats.lost,
      serverCpu,
      writerCpu: (used.user + used.system) / 1e6,
      clusterCpu: cluster,
    };
  } finally {
    await pool.end();
  }
}

interface TextRow {
  id: number;
  values: unknown[];
  literal: string;
}

/** A binary tsvector (postgresSearchText) as its text literal, `'call':2 'tools':1`. */
function tsvectorLiteral(bytes: Uint8Array): string {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries: string[] = [];
  let at = 4;
  for (let n = view.readInt32BE(0); n > 0; n--) {
    const end = view.indexOf(0, at);
    const lexeme = view.toString('utf8', at, end);
    const count = view.readUInt16BE(end + 1);
    at = end + 3;
    const positions: number[] = [];
    for (let i = 0; i < count; i++, at += 2) positions.push(view.readUInt16BE(at));
    entries.push(`'${lexeme}':${positions.join(',')}`);
  }
  return entries.join(' ');
}

/**
 * The insert as it was before the binary arrays, for comparison: the same unnest statement, each column an
 * array in text form (node-postgres writes it, the server parses it with array_in and, for the search
 * vector, tsvectorin).
 */
async function insertRowsAsText(db: pg.ClientBase, instance: string, rows: readonly TextRow[]) {
  const types = ['int8', 'text', ...RECORD_COLUMNS.map((c) => NUMERIC[c] ?? 'text'), 'tsvector'];
  const columns = types.map((_, c) =>
    rows.map((row) =>
      c === 0 ? row.id : c === 1 ? instance : c === types.length - 1 ? row.literal : row.values[c - 2],
    ),
  );
  await db.query(
    `INSERT INTO records (id, instance, ${RECORD_COLUMNS.join(', ')}, search_vector)
     SELECT * FROM unnest(${types.map((type, i) => `$${i + 1}::${type}[]`).join(', ')})`,
    columns,
  );
}

type InsertHow = 'copy' | 'unnest' | 'text';

/** The server process's CPU seconds for the insert statement alone: COPY, or unnest over binary or text arrays. */
async function insertCpu(url: string, batches: readonly CaptureBatch[], how: InsertHow): Promise<number> {
  const pool = openPool(url, { max: 1 });
  try {
    await pool.query('TRUNCATE records');
    const { rows: pids } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const backend = (pids[0] as { pid: number }).pid;
    // Made beforehand: the text form's literal is what capture made for it.
    const rows = batches.map((batch) =>
      batch.ops.flatMap((op) =>
        op.op === 'insert'
          ? [{ id: 0, values: op.values, text: op.text, literal: tsvectorLiteral(op.text) }]
          : [],
      ),
    );
    const before = processCpu(backend);
    for (const batchRows of rows) {
      await inTransaction(pool, async (client) => {
        const ids = await takeIds(client, batchRows.length);
        const withIds = batchRows.map((row, i) => ({ ...row, id: ids[i] as number }));
        if (how === 'copy') await insertRows(client, 'bench', withIds);
        else if (how === 'unnest') await insertRowsByUnnest(client, 'bench', withIds);
        else await insertRowsAsText(client, 'bench', withIds);
      });
    }
    return processCpu(backend) - before;
  } finally {
    await pool.end();
  }
}

/** CPU seconds of the busier side: what bounds the rate with a core for each. */
const busiest = (run: Run) => Math.max(run.serverCpu, run.writerCpu);

const target = (perSecond: number) => (perSecond >= 10_000 ? '≥ 10000/s ✓' : '≥ 10000/s ✗');

/**
 * `npm run bench postgres`: capture throughput into PostgreSQL through the store's writer
 * (src/store/postgres/writer.ts): the capture batches of the synthetic traffic, made beforehand by the
 * real capture pipeline (assemble, redact, describe), written by the writer into a local PostgreSQL server
 * (the test helper's throwaway cluster). Target: ≥ 10,000 messages/s, none dropped.
 */
export const capturePostgresSuite: BenchSuite = {
  name: 'capture into PostgreSQL',
  async run() {
    let server: TestPostgres | undefined;
    try {
      server = await startPostgres();
      const url = await server.createDatabase();
      const setup = openPool(url);
      await migratePostgres(setup);
      const { batches, messages } = captureBatches(setup);
      await setup.end();
      const load = loadavg()[0] ?? 0;
      let best: Run | undefined;
      const inserts: Record<InsertHow, number> = {
        copy: Number.POSITIVE_INFINITY,
        unnest: Number.POSITIVE_INFINITY,
        text: Number.POSITIVE_INFINITY,
      };
      for (let round = 1; round <= ROUNDS; round++) {
        const run = await writeAll(url, batches, messages);
        process.stdout.write(
          `round ${round}: ${Math.round(run.perSecond)}/s, ${run.dropped} dropped, server ${run.serverCpu.toFixed(2)} CPU s (all server processes ${run.clusterCpu.toFixed(2)}), writer ${run.writerCpu.toFixed(2)} CPU s\n`,
        );
        if (!best || run.seconds < best.seconds) best = run;
        for (const how of ['copy', 'unnest', 'text'] as const) {
          const cpu = await insertCpu(url, batches, how);
          process.stdout.write(`  insert statement, ${how}: server ${cpu.toFixed(2)} CPU s\n`);
          inserts[how] = Math.min(inserts[how], cpu);
        }
      }
      if (!best) throw new Error('no round ran');
      const table = markdownTable(
        [
          'Insert statement alone for each batch (ids taken, one transaction per batch), least of the rounds',
          'server CPU s',
          'rows per CPU s',
        ],
        [
          [
            '`COPY … FROM STDIN (FORMAT binary)`, values in binary form (the writer uses this)',
            inserts.copy.toFixed(2),
            String(Math.round(messages / inserts.copy)),
          ],
          [
            'one array parameter per column in binary form, `INSERT … SELECT * FROM unnest(…)`',
            inserts.unnest.toFixed(2),
            String(Math.round(messages / inserts.unnest)),
          ],
          [
            'the same arrays in text form (array_in; the search vector read by tsvectorin)',
            inserts.text.toFixed(2),
            String(Math.round(messages / inserts.text)),
          ],
        ],
      );
      return [
        '## Capture into PostgreSQL',
        '',
        `${EXCHANGES.toLocaleString('en-US')} exchanges of the query suite's synthetic traffic (redaction on, credentials in some tool calls), turned into capture batches by the real pipeline beforehand, then written through the PostgreSQL store's writer (bounded queue, one transaction at a time for a batch or a few queued ones: ids from the shared sequence, the rows by binary COPY, session and method totals, NOTIFY; the next batch's ids are taken with the current one's, and its rows are encoded while the server copies the current one's) into a local PostgreSQL server (fsync off, as the test cluster runs), best of ${ROUNDS} rounds by wall clock: ${best.messages} messages in ${best.seconds.toFixed(2)} s, **${Math.round(best.perSecond)} messages/s** (${target(best.perSecond)}), ${best.dropped} dropped (1-minute load average ${load.toFixed(1)} on ${cpus().length} cores when it started: on a busy machine the wall clock measures the wait for a core too). The PostgreSQL server process that ran the writes used ${best.serverCpu.toFixed(2)} CPU s, the writer (this process's JavaScript: queue, statements, COPY data) ${best.writerCpu.toFixed(2)} CPU s, side by side: ${Math.round(best.messages / busiest(best))} messages per CPU second of the busier side, the rate with a core for each. All the server's processes together (with the WAL writer, checkpointer and autovacuum, until ${SETTLE_MS / 1000} s after the last commit) used ${best.clusterCpu.toFixed(2)} CPU s: ${Math.round(best.messages / best.clusterCpu)} messages per CPU second.`,
        '',
        table,
      ].join('\n');
    } finally {
      await server?.stop();
    }
  },
};
