import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { NewRecord } from '../core/record.js';
import type { Filter } from '../filter/ast.js';
import type { Database } from './database.js';
import type { ImportResult, LogStore } from './log-store.js';
import { noteRecord } from './note-record.js';
import { selectRecords } from './query-plan.js';
import { SqliteRecordSink } from './record-writer.js';

/**
 * Rows per transaction for bulk changes made from the gateway's main thread. Small enough that one
 * transaction takes a few milliseconds: the capture worker's writes and the proxy's event loop wait no
 * longer than that (SQLite allows one writer at a time; readers never wait in WAL mode).
 */
export const WRITE_BATCH = 500;

/** Deletes records by id in one transaction; triggers keep the search index and the summaries right. */
export function deleteIds(db: Database, ids: readonly number[]): void {
  if (ids.length === 0) return;
  db.prepare(`DELETE FROM records WHERE id IN (${ids.map(() => '?').join(',')})`).run(...ids);
}

/** Summaries whose records are all gone are dropped (a session that no longer has messages). */
export function dropEmptySummaries(db: Database): void {
  db.exec(
    'DELETE FROM sessions WHERE messages <= 0; DELETE FROM method_totals WHERE messages <= 0; DELETE FROM rollups WHERE messages <= 0;',
  );
}

export function recordWrites(
  db: Database,
): Pick<LogStore, 'importRecords' | 'deleteMatching' | 'appendNote'> {
  const sink = new SqliteRecordSink(db);
  const relink = db.prepare('UPDATE records SET partner_id = ? WHERE id = ?');
  const relinkOperation = db.prepare('UPDATE records SET linked_id = ? WHERE id = ?');
  const relinkReplay = db.prepare('UPDATE records SET replay_of = ? WHERE id = ?');

  return {
    async importRecords(records: AsyncIterable<NewRecord & { originalId?: number }>): Promise<ImportResult> {
      // Imported records get new ids; a response's link to its request, and a retry's or task message's
      // link to the record it continues, and a replay's link to its original, follow that record's new id.
      const newIds = new Map<number, number>();
      const orphans: {
        id: number;
        partner: number | null;
        linked: number | null;
        replayed: number | null;
      }[] = [];
      let imported = 0;
      let batch: (NewRecord & { originalId?: number })[] = [];
      const mapped = (id: number | null) => (id === null ? null : (newIds.get(id) ?? null));
      const flush = () => {
        sink.batch(() => {
          for (const { originalId, ...record } of batch) {
            const partnerId = mapped(record.partnerId);
            const linkedId = mapped(record.linkedId);
            const replayOf = mapped(record.replayOf);
            const id = sink.insert({ ...record, partnerId, linkedId, replayOf });
            if (originalId !== undefined) newIds.set(originalId, id);
            const partner = partnerId === null ? record.partnerId : null;
            const linked = linkedId === null ? record.linkedId : null;
            const replayed = replayOf === null ? record.replayOf : null;
            if (partner !== null || linked !== null || replayed !== null)
              orphans.push({ id, partner, linked, replayed });
          }
        });
        imported += batch.length;
        batch = [];
      };
      for await (const record of records) {
        batch.push(record);
        if (batch.length >= WRITE_BATCH) {
          flush();
          await yieldToEventLoop();
        }
      }
      flush();
      // A record imported before the one it points at (a file sorted newest first) is linked afterwards.
      db.transaction(() => {
        for (const { id, partner, linked, replayed } of orphans) {
          if (partner !== null) relink.run(mapped(partner), id);
          if (linked !== null) relinkOperation.run(mapped(linked), id);
          if (replayed !== null) relinkReplay.run(mapped(replayed), id);
        }
      })();
      return { imported };
    },

    async deleteMatching(filter: Filter): Promise<number> {
      // What matched when asked: records captured while deleting are left alone.
      const last = (db.prepare('SELECT max(id) AS id FROM records').get() as { id: number | null }).id ?? 0;
      const now = Date.now();
      let cursor = 0;
      let deleted = 0;
      for (;;) {
        const select = selectRecords(filter, {
          columns: 'r.id AS id',
          order: 'asc',
          cursor,
          limit: WRITE_BATCH,
          now,
          extra: [{ sql: 'r.id <= ?', params: [last] }],
        });
        const ids = (db.prepare(select.sql).all(...select.params) as { id: number }[]).map((r) => r.id);
        if (ids.length === 0) break;
        db.transaction(() => deleteIds(db, ids))();
        deleted += ids.length;
        cursor = ids[ids.length - 1] as number;
        await yieldToEventLoop();
      }
      if (deleted > 0) dropEmptySummaries(db);
      return deleted;
    },

    appendNote(note) {
      return sink.insert(noteRecord(note));
    },
  };
}
