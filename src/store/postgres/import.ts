import type pg from 'pg';
import type { NewRecord } from '../../core/record.js';
import type { ImportResult } from '../log-store.js';
import { WRITE_BATCH } from '../record-writes.js';
import { RECORD_COLUMNS, recordToValues } from '../rows.js';
import { postgresSearchText } from './search-text.js';
import { inTransaction } from './transaction.js';
import { type BatchOp, takeIds, writeBatch } from './write-batch.js';

type Imported = NewRecord & { originalId?: number };

const REPLAY_OF = RECORD_COLUMNS.indexOf('replay_of');

/**
 * Stores imported records under new ids, a transaction per WRITE_BATCH records, as SQLite's import does
 * (../record-writes.ts): a response's link to its request, an operation's link to the round it continues
 * and a replay's link to its original follow that record's new id; links to records not imported are
 * dropped. Records are numbered 1, 2, 3, … in the order read, so write-batch.ts maps links as it maps
 * capture's numbers.
 */
export async function importRecords(
  pool: pg.Pool,
  instance: string,
  records: AsyncIterable<Imported>,
): Promise<ImportResult> {
  /** Original id → number in this import; number → new id. */
  const numbers = new Map<number, number>();
  const ids = new Map<number, number>();
  const orphans: { seq: number; partner: number | null; linked: number | null; replayed: number | null }[] =
    [];
  let imported = 0;
  let batch: Imported[] = [];
  const number = (id: number | null) => (id === null ? null : (numbers.get(id) ?? null));

  const flush = async () => {
    if (batch.length === 0) return;
    const firstSeq = imported + 1;
    const ops: BatchOp[] = batch.map(({ originalId, ...record }, i) => {
      const seq = firstSeq + i;
      if (originalId !== undefined) numbers.set(originalId, seq);
      const partnerId = number(record.partnerId);
      const linkedId = number(record.linkedId);
      const replayOf = number(record.replayOf);
      const partner = partnerId === null ? record.partnerId : null;
      const linked = linkedId === null ? record.linkedId : null;
      const replayed = replayOf === null ? record.replayOf : null;
      if (partner !== null || linked !== null || replayed !== null)
        orphans.push({ seq, partner, linked, replayed });
      // replay_of is not one of capture's numbered links: it is mapped below, once the batch has its ids.
      return {
        op: 'insert',
        values: recordToValues({ ...record, partnerId, linkedId, replayOf }),
        text: postgresSearchText(record),
      };
    });
    await inTransaction(pool, async (client) => {
      const taken = await takeIds(client, ops.length);
      for (const [i, id] of taken.entries()) ids.set(firstSeq + i, id);
      for (const op of ops) {
        if (op.op !== 'insert') continue;
        const replayOf = op.values[REPLAY_OF] as number | null;
        op.values[REPLAY_OF] = replayOf === null ? null : (ids.get(replayOf) ?? null);
      }
      await writeBatch(client, instance, { firstSeq, ops }, taken, (seq) =>
        seq === null ? null : (ids.get(seq) ?? null),
      );
    });
    imported += batch.length;
    batch = [];
  };

  for await (const record of records) {
    batch.push(record);
    if (batch.length >= WRITE_BATCH) await flush();
  }
  await flush();
  // A record imported before the one it points at (a file sorted newest first) is linked afterwards.
  const idOf = (original: number | null) => {
    const seq = number(original);
    return seq === null ? null : (ids.get(seq) ?? null);
  };
  const relinks = orphans
    .map(({ seq, partner, linked, replayed }) => ({
      id: ids.get(seq) as number,
      partner: idOf(partner),
      linked: idOf(linked),
      replayed: idOf(replayed),
    }))
    .filter((r) => r.partner !== null || r.linked !== null || r.replayed !== null);
  if (relinks.length > 0) {
    await pool.query(
      `UPDATE records r SET partner_id = coalesce(l.partner, r.partner_id), linked_id = coalesce(l.linked, r.linked_id),
         replay_of = coalesce(l.replayed, r.replay_of)
       FROM unnest($1::int8[], $2::int8[], $3::int8[], $4::int8[]) AS l (id, partner, linked, replayed)
       WHERE r.id = l.id`,
      [
        relinks.map((r) => r.id),
        relinks.map((r) => r.partner),
        relinks.map((r) => r.linked),
        relinks.map((r) => r.replayed),
      ],
    );
  }
  return { imported };
}
