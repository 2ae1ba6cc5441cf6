import type pg from 'pg';
import { isFailure } from '../failure.js';
import { rowEntry, type StoredRequest } from '../pending-rows.js';
import { RECORD_COLUMNS } from '../rows.js';
import { SummaryDeltas } from '../summary-tally.js';
import type { WriteOp } from '../writer-protocol.js';
import { copyData, copyRows, type RowToInsert } from './insert-rows.js';
import { saveSession, writeTallies } from './tallies.js';
import { addToolChange, rememberToolList } from './tool-lists.js';

/** The channel every writer announces its commits on, and every live feed listens to. */
export const RECORDS_CHANNEL = 'mcp_gateway_records';

const column = (name: (typeof RECORD_COLUMNS)[number]) => RECORD_COLUMNS.indexOf(name);
const PARTNER = column('partner_id');
const LINKED = column('linked_id');
const HTTP_STATUS = column('http_status');
const SESSION = column('session_id');
const SERVER_NAME = column('server_name');
const SERVER_VERSION = column('server_version');

/**
 * A change of a PostgreSQL batch: a record to insert (its columns in RECORD_COLUMNS order and its search
 * tokens, a binary tsvector made by postgresSearchText), or one of the SQLite writer thread's other
 * changes (../writer-protocol.ts).
 */
export type BatchOp = WriteOp | { op: 'insert'; values: unknown[]; text: Uint8Array };

/** A batch of changes in the order capture made them, records numbered from `firstSeq` by their place. */
export interface CaptureBatch {
  firstSeq: number;
  ops: BatchOp[];
}

export const insertCount = (ops: readonly BatchOp[]) =>
  ops.reduce((n, op) => n + Number(op.op === 'insert'), 0);

/** `count` ids from the shared sequence, as a statement (`count` written in, or a parameter's place). */
const nextIds = (count: string) => `SELECT nextval('records_id_seq') AS id FROM generate_series(1, ${count})`;

/** The ids a nextIds statement took, in order. */
const sortedIds = (rows: readonly { id: number }[]) => rows.map((row) => row.id).sort((a, b) => a - b);

/** Takes `count` ids from the shared sequence; another writer's may fall in between, so they may have gaps. */
export async function takeIds(db: pg.ClientBase, count: number): Promise<number[]> {
  return sortedIds((await db.query<{ id: number }>(nextIds('$1'), [count])).rows);
}

/**
 * The search index's pending list is merged into the index by the insert that fills it (PostgreSQL docs,
 * "GIN Fast Update Technique"), collecting its entries in memory up to work_mem and inserting each
 * lexeme once per pass: with more room a merge makes fewer passes. The list itself is bounded (4 MB,
 * gin_pending_list_limit), and so is what a merge collects; one backend merges at a time
 * (the others skip it), so several writing gateways do not multiply it. The list keeps the server's
 * default: with the capture bench's traffic, 1, 2 and 32 MB cost the server more per record (the merges
 * included, those left for later too), 8 MB about the same, and a search through the index reads the
 * whole list. For the transaction only: a statement to run in each that inserts records.
 */
export const MERGE_MEMORY = "SET LOCAL work_mem = '64MB'";

/**
 * Opens a writer's transaction with MERGE_MEMORY and takes `count` ids from the shared sequence (as
 * `takeIds`), in one round trip: the statements go as one simple query, which takes no parameters, so
 * the count is written in.
 */
export async function beginBatch(db: pg.ClientBase, count: number): Promise<number[]> {
  const statements = ['BEGIN', MERGE_MEMORY];
  if (count > 0) statements.push(nextIds(String(Math.trunc(count))));
  const results = (await db.query(statements.join('; '))) as unknown as pg.QueryResult<{ id: number }>[];
  return count > 0 ? sortedIds(results[2]?.rows ?? []) : [];
}

type Step = (db: pg.ClientBase) => Promise<void>;

/**
 * A batch ready to write: everything that needs no database, done beforehand, so that it can be done
 * while the database works on the batch before it.
 */
export interface PreparedBatch {
  /** The records as COPY data (insert-rows.ts), or null when the batch has none. */
  copy: Buffer | null;
  /** The ids of its first and last record, announced on commit. */
  firstId: number | null;
  lastId: number | null;
  /** Changes to records of earlier batches, sessions and tool lists, in capture's order. */
  later: Step[];
  /** The totals' changes so far; the UPDATEs of `later` add those of the requests they complete. */
  tallies: SummaryDeltas;
}

/** Ops walked between two pauses of `prepareBatch`. */
const OPS_BETWEEN_PAUSES = 256;

/**
 * The part of writing a capture batch that needs no database, with the same effects as SQLite's writer
 * thread (../writer-entry.ts): records with their links turned from capture numbers into ids (`ids[i]` is
 * the id of the batch's i-th record; `earlier` maps numbers of earlier batches), completions and server
 * names applied to this batch's records in memory, and the UPDATEs of earlier ones, sessions, tool lists
 * collected for `executeBatch`. `pause`, when given, is awaited now and then (see copyData).
 * A prepared batch is written once: a retry prepares it again (its totals are spent by the write).
 */
export async function prepareBatch(
  instance: string,
  batch: CaptureBatch,
  ids: readonly number[],
  earlier: (seq: number | null) => number | null,
  pause?: () => Promise<void>,
): Promise<PreparedBatch> {
  const { firstSeq } = batch;
  const rows: RowToInsert[] = [];
  const idOf = (seq: number | null): number | null => {
    if (seq === null) return null;
    if (seq >= firstSeq) return ids[seq - firstSeq] ?? null;
    return earlier(seq);
  };
  const held = (seq: number) => (seq >= firstSeq ? rows[seq - firstSeq] : undefined);
  const tallies = new SummaryDeltas();
  const later: Step[] = [];

  for (let i = 0; i < batch.ops.length; i++) {
    if (pause && i > 0 && i % OPS_BETWEEN_PAUSES === 0) await pause();
    const op = batch.ops[i] as BatchOp;
    switch (op.op) {
      case 'insert': {
        // A copy: a batch that fails for a moment is written again from its ops, unchanged.
        const values = op.values.slice();
        values[PARTNER] = idOf(values[PARTNER] as number | null);
        values[LINKED] = idOf(values[LINKED] as number | null);
        rows.push({ id: ids[rows.length] as number, values, text: op.text });
        // Tallied as it is now; a completion in this batch corrects it, as SQLite's writer does.
        const entry = rowEntry(values);
        tallies.add(entry, isFailure(entry));
        break;
      }
      case 'complete': {
        const row = held(op.seq);
        if (row) {
          const before = rowEntry(row.values);
          row.values[HTTP_STATUS] = op.httpStatus;
          row.values[SESSION] ??= op.sessionId;
          correct(tallies, before, op.httpStatus, op.sessionId);
        } else {
          const id = idOf(op.seq);
          if (id !== null) later.push((c) => completeStored(c, tallies, id, op.httpStatus, op.sessionId));
        }
        break;
      }
      case 'identify': {
        const row = held(op.seq);
        if (row) {
          row.values[SERVER_NAME] ??= op.serverName;
          row.values[SERVER_VERSION] ??= op.serverVersion;
        } else {
          const id = idOf(op.seq);
          if (id !== null)
            later.push((c) =>
              c
                .query(
                  `UPDATE records SET server_name = coalesce(server_name, $1),
                     server_version = coalesce(server_version, $2) WHERE id = $3`,
                  [op.serverName, op.serverVersion, id],
                )
                .then(() => {}),
            );
        }
        break;
      }
      case 'session':
        later.push((c) => saveSession(c, op.session));
        break;
      case 'tool-list':
        later.push((c) => rememberToolList(c, { ...op.list, recordId: idOf(op.list.recordId) }));
        break;
      case 'tool-change': {
        const { change } = op;
        const previousRecordId = op.previousIsSeq ? idOf(change.previousRecordId) : change.previousRecordId;
        later.push((c) =>
          addToolChange(c, { ...change, recordId: idOf(change.recordId), previousRecordId }).then(() => {}),
        );
        break;
      }
    }
  }
  return {
    copy: rows.length > 0 ? await copyData(instance, rows, pause) : null,
    firstId: rows[0]?.id ?? null,
    lastId: rows[rows.length - 1]?.id ?? null,
    later,
    tallies,
  };
}

/**
 * Writes a prepared batch inside the caller's transaction (which ran MERGE_MEMORY if it has records):
 * the rows, then the changes to earlier records (which the transactions before this one committed),
 * sessions and method totals, and the commit announced to live feeds (a NOTIFY is delivered when its
 * transaction commits). `meanwhile` is called once the rows are on their way, while the server copies them.
 */
export async function executeBatch(
  db: pg.ClientBase,
  instance: string,
  batch: PreparedBatch,
  meanwhile?: () => void,
): Promise<void> {
  if (batch.copy) {
    const copied = copyRows(db, batch.copy);
    meanwhile?.();
    await copied;
  } else {
    meanwhile?.();
  }
  for (const step of batch.later) await step(db);
  await writeTallies(db, batch.tallies);
  if (batch.firstId !== null) {
    await db.query('SELECT pg_notify($1, $2)', [
      RECORDS_CHANNEL,
      `${instance} ${batch.firstId} ${batch.lastId}`,
    ]);
  }
}

/** Writes one capture batch inside the caller's transaction: `prepareBatch`, then `executeBatch`. */
export async function writeBatch(
  db: pg.ClientBase,
  instance: string,
  batch: CaptureBatch,
  ids: readonly number[],
  earlier: (seq: number | null) => number | null,
): Promise<void> {
  const prepared = await prepareBatch(instance, batch, ids, earlier);
  if (prepared.copy) await db.query(MERGE_MEMORY);
  await executeBatch(db, instance, prepared);
}

/** A request answered in a later batch: the change to its session's and method's totals (summary-tally.ts). */
function correct(
  tallies: SummaryDeltas,
  before: StoredRequest,
  httpStatus: number | null,
  sessionId: string | null,
): void {
  const after = { ...before, httpStatus, sessionId: before.sessionId ?? sessionId };
  const failed = isFailure(after);
  tallies.correct(after, {
    failed,
    joinedSession: before.sessionId === null && after.sessionId !== null,
    errorDelta: Number(failed) - Number(isFailure(before)),
  });
}

/** Completes a request stored by an earlier batch, reading it as it was in the same statement. */
async function completeStored(
  db: pg.ClientBase,
  tallies: SummaryDeltas,
  id: number,
  httpStatus: number | null,
  sessionId: string | null,
): Promise<void> {
  const { rows } = await db.query<StoredRequest>(
    `UPDATE records r SET http_status = $1, session_id = coalesce(r.session_id, $2)
     FROM (SELECT id, server, session_id, method, kind, time, duration_ms, tokens, error_message, http_status,
             client_name, client_version, server_name, server_version, protocol_version
           FROM records WHERE id = $3 FOR UPDATE) old
     WHERE r.id = old.id
     RETURNING old.server, old.session_id AS "sessionId", old.method, old.kind, old.time,
       old.duration_ms AS "durationMs", old.tokens, old.error_message AS "errorMessage",
       old.http_status AS "httpStatus", old.client_name AS "clientName", old.client_version AS "clientVersion",
       old.server_name AS "serverName", old.server_version AS "serverVersion",
       old.protocol_version AS "protocolVersion"`,
    [httpStatus, sessionId, id],
  );
  const before = rows[0];
  if (before) correct(tallies, before, httpStatus, sessionId);
}
