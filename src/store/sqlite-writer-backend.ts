import { openDatabaseOrStartFresh } from './database.js';
import { SqliteRecordSink } from './record-writer.js';
import { RETENTION_FIRST_RUN_MS, RETENTION_INTERVAL_MS, Retention } from './retention.js';
import { RECORD_COLUMNS } from './rows.js';
import { SeqIds } from './seq-ids.js';
import { sqliteToolLists, type ToolListStore } from './tool-lists.js';
import type { WriterBackend, WriterBatch, Written } from './writer-backend.js';
import { ROW_WIDTH, type WriteOp, type WriterSettings } from './writer-protocol.js';

const PARTNER = RECORD_COLUMNS.indexOf('partner_id');
const LINKED = RECORD_COLUMNS.indexOf('linked_id');

/**
 * The writer thread's SQLite store: the one writing connection to logs.db. SQLite's share of capture
 * (inserts, the full-text index, commits) takes about as long as the JavaScript share, so on its own thread
 * the two run on two cores at once, a batch apart.
 */
export function sqliteWriterBackend(
  settings: WriterSettings & { store: { kind: 'sqlite' } },
  problem: (message: string) => void,
): WriterBackend {
  const { store } = settings;
  const db = openDatabaseOrStartFresh(store.path, { key: store.key ?? null }, problem);
  const sink = new SqliteRecordSink(db);
  const ids = new SeqIds();
  /** Drift detection needs migration 9; a store without it still captures, without tool-list changes. */
  let toolLists: ToolListStore | null = null;
  try {
    toolLists = sqliteToolLists(db);
  } catch (error) {
    problem(`tool-list changes are not recorded: ${(error as Error).message}`);
  }

  // Pruning runs here, between batches on the one writer connection: it never waits for the capture
  // writer's lock, and capture waits at most one small delete transaction.
  const retention = settings.retention ? new Retention(db, settings.retention) : null;
  if (retention?.enabled) {
    const prune = () =>
      retention
        .run()
        .catch((error: unknown) => problem(`pruning old records failed: ${(error as Error).message}`));
    setTimeout(prune, RETENTION_FIRST_RUN_MS).unref();
    setInterval(prune, RETENTION_INTERVAL_MS).unref();
  }

  /** Inserts the batch's packed rows numbered `from` up to (not including) `to`; returns `to`. */
  function insertRows(rows: readonly unknown[], from: number, to: number): number {
    for (let row = from; row < to; row++) {
      const start = row * ROW_WIDTH;
      const values = rows.slice(start, start + ROW_WIDTH - 1);
      values[PARTNER] = ids.id(values[PARTNER] as number | null);
      values[LINKED] = ids.id(values[LINKED] as number | null);
      sink.insertRow(values, rows[start + ROW_WIDTH - 1] as string);
    }
    return to;
  }

  function apply(op: WriteOp): void {
    switch (op.op) {
      case 'complete': {
        const id = ids.id(op.seq);
        if (id !== null) sink.completeRequest(id, op.httpStatus, op.sessionId);
        break;
      }
      case 'identify': {
        const id = ids.id(op.seq);
        if (id !== null) sink.identify(id, op.serverName, op.serverVersion);
        break;
      }
      case 'session':
        sink.saveSession(op.session);
        break;
      case 'tool-list':
        toolLists?.remember({ ...op.list, recordId: ids.id(op.list.recordId) });
        break;
      case 'tool-change': {
        const { change } = op;
        const previousRecordId = op.previousIsSeq ? ids.id(change.previousRecordId) : change.previousRecordId;
        toolLists?.addChange({ ...change, recordId: ids.id(change.recordId), previousRecordId });
        break;
      }
    }
  }

  let lost = 0;
  let lastError: string | null = null;

  return {
    /** One batch is one transaction: when its commit fails (a full disk), none of its records were stored. */
    write(batch: WriterBatch): void {
      try {
        sink.batch(() => {
          ids.begin(batch.firstSeq, sink.nextId());
          const { rows, ops, positions } = batch;
          let inserted = 0;
          for (let i = 0; i < ops.length; i++) {
            inserted = insertRows(rows, inserted, positions[i] as number);
            apply(ops[i] as WriteOp);
          }
          insertRows(rows, inserted, rows.length / ROW_WIDTH);
        });
      } catch (error) {
        ids.lost(batch.firstSeq);
        lost += batch.rows.length / ROW_WIDTH;
        lastError = (error as Error).message;
      }
    },
    sync(done: (written: Written) => void): void {
      done({ lost, error: lastError });
      lost = 0;
      lastError = null;
    },
    async close(): Promise<void> {
      retention?.stop();
      db.close();
    },
  };
}
