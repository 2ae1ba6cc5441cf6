import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordJson } from '../../src/core/record.js';
import { openDatabase } from '../../src/store/database.js';
import { SqliteRecordSink } from '../../src/store/record-writer.js';
import { apiJson } from '../helpers/api-json.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { makeRecord } from '../helpers/records.js';

type Page = { data: RecordJson[]; pagination: { hasMore: boolean; nextCursor: string | null } };

/**
 * Keyset pagination while records keep arriving: every page is fetched after more records were written
 * (by another connection, as another process on the same storage dir would), and records sharing a
 * millisecond are the norm here.
 */
describe('pagination while new records arrive', () => {
  let gw: TestGateway;
  let sink: SqliteRecordSink;
  let close: () => void;
  const sameTime = Date.now();
  let sequence = 0;
  const write = (n: number) =>
    sink.batch(() => {
      for (let i = 0; i < n; i++)
        sink.insert(makeRecord({ time: sameTime, summary: `record ${sequence++}` }));
    });

  beforeAll(async () => {
    gw = await startTestGateway();
    const db = openDatabase(join(gw.storageDir, 'logs.db'));
    sink = new SqliteRecordSink(db);
    close = () => db.close();
    write(95);
  });

  afterAll(async () => {
    close();
    await gw?.stop();
  });

  async function walk(order: 'asc' | 'desc'): Promise<number[]> {
    const ids: number[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await apiJson<Page>(
        gw,
        `/api/logs?limit=7&order=${order}&filter=server:alpha${cursor ? `&cursor=${cursor}` : ''}`,
      );
      ids.push(...page.data.map((r) => r.id));
      cursor = page.pagination.nextCursor;
      write(3);
    } while (cursor !== null);
    return ids;
  }

  it('newest first: no duplicates, no gaps, down to the first record', async () => {
    const ids = await walk('desc');
    const newestAtStart = ids[0] as number;
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(Array.from({ length: newestAtStart }, (_, i) => newestAtStart - i));
  });

  it('oldest first: no duplicates, no gaps, and it reaches records written while paging', async () => {
    const before = (await apiJson<Page>(gw, '/api/logs?limit=1')).data[0]?.id as number;
    const ids = await walk('asc');
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => i + 1));
    expect(ids.length).toBeGreaterThan(before);
  });

  it('pages free-text results by keyset too', async () => {
    const ids: number[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await apiJson<Page>(
        gw,
        `/api/logs?limit=10&filter=record${cursor ? `&cursor=${cursor}` : ''}`,
      );
      ids.push(...page.data.map((r) => r.id));
      cursor = page.pagination.nextCursor;
    } while (cursor !== null);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[ids.length - 1]).toBe(1);
  });
});
