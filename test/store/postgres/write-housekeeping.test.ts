import { describe, expect, it } from 'vitest';
import type { NewRecord } from '../../../src/core/record.js';
import { importRecords } from '../../../src/store/postgres/import.js';
import { appendNote } from '../../../src/store/postgres/notes.js';
import { PostgresRetention } from '../../../src/store/postgres/retention.js';
import { postgresToolListReads } from '../../../src/store/postgres/tool-lists.js';
import { PostgresRecordWriter } from '../../../src/store/postgres/writer.js';
import { SqliteRecordSink } from '../../../src/store/record-writer.js';
import { recordWrites } from '../../../src/store/record-writes.js';
import { Retention } from '../../../src/store/retention.js';
import { makeRecord, openTestStore } from '../../helpers/records.js';
import {
  captureScenario,
  pgRecords,
  pgTotals,
  postgresForFile,
  sqliteRecords,
  sqliteTotals,
} from './write-support.js';

const databases = postgresForFile();

const DAY = 86_400_000;
const NOW = 1_800_000_000_000;

describe('PostgreSQL retention', () => {
  it('deletes records past the age limit and takes them off the totals exactly as SQLite does', async () => {
    const { pool } = await databases.migrated();
    const writer = new PostgresRecordWriter({ pool, instance: 'gw' });
    captureScenario(writer, NOW - 3 * DAY);
    captureScenario(writer, NOW - 1000);
    await writer.flush();
    const sqlite = openTestStore();
    try {
      const sink = new SqliteRecordSink(sqlite.db);
      captureScenario(sink, NOW - 3 * DAY);
      captureScenario(sink, NOW - 1000);
      const settings = { days: 2, maxBytes: 0 };
      const pruned = await new PostgresRetention(pool, settings).run(NOW);
      const expected = await new Retention(sqlite.db, settings).run(NOW);
      expect(pruned).toEqual(expected);
      expect(pruned.byAge).toBe(5);
      const kept = await pgRecords(pool);
      expect(kept.map((r) => r.time)).toEqual(sqliteRecords(sqlite.db).map((r) => r.time));
      expect(kept.every((r) => r.time > NOW - DAY)).toBe(true);
      // Sessions and per-method totals count only what is left.
      expect(await pgTotals(pool)).toEqual(sqliteTotals(sqlite.db));
      expect((await pgTotals(pool)).sessions[0]).toMatchObject({ messages: 3, errors: 2 });
    } finally {
      sqlite.close();
    }
  });

  it('deletes the oldest records while the data outgrows the size limit', async () => {
    const { pool } = await databases.migrated();
    const writer = new PostgresRecordWriter({ pool, instance: 'gw' });
    // Incompressible text, so the bytes stored are the bytes written (PostgreSQL compresses large values).
    const noise = (n: number) =>
      Array.from({ length: 2500 }, (_, i) => ((n * 7919 + i * 104729) % 65521).toString(36)).join('');
    for (let n = 0; n < 300; n++)
      writer.batch(() => writer.insert(makeRecord({ time: NOW - 1000 + n, message: noise(n) })));
    await writer.flush();
    const retention = new PostgresRetention(pool, { days: 0, maxBytes: 1_000_000 });
    const before = await retention.usedBytes();
    // Well past the limit (the noise is one token too long for the search vector, so only the message counts).
    expect(before).toBeGreaterThan(2_000_000);
    const { bySize } = await retention.run(NOW);
    expect(bySize).toBeGreaterThan(150);
    expect(await retention.usedBytes()).toBeLessThanOrEqual(1_000_000);
    const kept = await pgRecords(pool);
    // The newest were kept.
    expect(kept.at(-1)?.time).toBe(NOW - 1000 + 299);
    expect(kept[0]?.time).toBe(NOW - 1000 + 300 - kept.length);
    // A second run finds nothing to do: the estimate does not count space PostgreSQL keeps for reuse.
    expect(await retention.run(NOW)).toEqual({ byAge: 0, bySize: 0 });
  });
});

async function* from<T>(items: T[]): AsyncIterable<T> {
  yield* items;
}

describe('PostgreSQL import and notes', () => {
  it('import gives new ids and re-links partners within what is imported, as SQLite does', async () => {
    const { pool } = await databases.migrated();
    // Something captured first, so imported ids differ from the originals.
    const writer = new PostgresRecordWriter({ pool, instance: 'gw' });
    captureScenario(writer);
    await writer.flush();
    const sqlite = openTestStore();
    try {
      captureScenario(new SqliteRecordSink(sqlite.db));
      // Newest first, as an export sorted descending: the answers come before their requests.
      const file: (NewRecord & { originalId?: number })[] = [
        { ...makeRecord({ time: 3, kind: 'response', partnerId: 501, replayOf: 500 }), originalId: 502 },
        { ...makeRecord({ time: 2, kind: 'request', linkedId: 500, replayOf: 999 }), originalId: 501 },
        { ...makeRecord({ time: 1, kind: 'request', partnerId: 777 }), originalId: 500 },
      ];
      const result = await importRecords(pool, 'gw', from(file));
      expect(result).toEqual(await recordWrites(sqlite.db).importRecords(from(file)));
      const imported = (await pgRecords(pool)).slice(-3);
      expect(imported.map(({ instance, ...r }) => r)).toEqual(sqliteRecords(sqlite.db).slice(-3));
      const [answer, retry, first] = imported;
      expect(answer).toMatchObject({ partnerId: retry?.id, replayOf: first?.id });
      // A link to a record that was not imported is dropped.
      expect(retry).toMatchObject({ linkedId: first?.id, replayOf: null });
      expect(first?.partnerId).toBeNull();
      expect(await pgTotals(pool)).toEqual(sqliteTotals(sqlite.db));
    } finally {
      sqlite.close();
    }
  });

  it('a note lands on its server timeline and in its totals', async () => {
    const { pool } = await databases.migrated();
    const id = await appendNote(pool, 'gw', {
      server: 'alpha',
      text: 'alpha is down',
      note: 'health',
      time: NOW,
    });
    const [note] = await pgRecords(pool);
    expect(note).toMatchObject({
      id,
      server: 'alpha',
      note: 'health',
      summary: 'alpha is down',
      instance: 'gw',
    });
    expect((await pgTotals(pool)).methods).toEqual([
      expect.objectContaining({ server: 'alpha', method: '', messages: 1 }),
    ]);
  });
});

describe('PostgreSQL tool lists', () => {
  it('keep the list and its changes with the ids of the answers that showed them', async () => {
    const { pool } = await databases.migrated();
    const writer = new PostgresRecordWriter({ pool, instance: 'gw' });
    const tools = [{ name: 'echo', description: 'Echoes' }];
    let answer = 0;
    writer.batch(() => {
      answer = writer.insert(makeRecord({ kind: 'response', method: 'tools/list' }));
      writer.toolLists({
        op: 'tool-list',
        list: { server: 'alpha', hash: 'h1', tools, recordId: answer, seenAt: NOW },
      });
      writer.toolLists({
        op: 'tool-change',
        previousIsSeq: false,
        change: {
          server: 'alpha',
          timestamp: NOW,
          sessionId: 'session-1',
          recordId: answer,
          previousRecordId: null,
          added: 1,
          removed: 0,
          changed: 0,
          tools: [{ name: 'echo', kind: 'added', after: tools[0] }],
          truncated: false,
        },
      });
    });
    await writer.flush();
    const [stored] = await pgRecords(pool);
    const reads = postgresToolListReads(pool);
    expect(await reads.known('alpha')).toEqual({
      server: 'alpha',
      hash: 'h1',
      tools,
      recordId: stored?.id,
      seenAt: NOW,
    });
    expect(await reads.changes('alpha', 10)).toEqual([
      expect.objectContaining({
        server: 'alpha',
        recordId: stored?.id,
        added: 1,
        tools: [expect.objectContaining({ name: 'echo' })],
      }),
    ]);
    expect(await reads.count('alpha')).toBe(1);
  });
});
