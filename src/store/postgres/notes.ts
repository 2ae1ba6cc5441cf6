import type pg from 'pg';
import { type Note, noteRecord } from '../note-record.js';
import { recordToValues } from '../rows.js';
import { postgresSearchText } from './search-text.js';
import { inTransaction } from './transaction.js';
import { takeIds, writeBatch } from './write-batch.js';

/**
 * A gateway note (a health change) on a server's timeline; returns its id. Written at once, outside the
 * capture queue, like any single record: counted in its server's totals and announced to live feeds.
 */
export function appendNote(pool: pg.Pool, instance: string, note: Note): Promise<number> {
  const record = noteRecord(note);
  return inTransaction(pool, async (client) => {
    const ids = await takeIds(client, 1);
    const ops = [{ op: 'insert' as const, values: recordToValues(record), text: postgresSearchText(record) }];
    await writeBatch(client, instance, { firstSeq: 1, ops }, ids, () => null);
    return ids[0] as number;
  });
}
