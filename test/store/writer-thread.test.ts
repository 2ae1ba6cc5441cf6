import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TrafficWithSecrets } from '../../bench/capture.js';
import { captureEvents } from '../../bench/query/capture-cpu.js';
import { TrafficGenerator } from '../../bench/query/traffic.js';
import { CaptureQueue } from '../../src/capture/capture-queue.js';
import { DEFAULT_CAPTURE_POLICY } from '../../src/capture/policy.js';
import { Recorder } from '../../src/capture/recorder.js';
import type { CaptureEvent } from '../../src/core/capture-events.js';
import { type Database, openDatabase } from '../../src/store/database.js';
import { SqliteRecordSink } from '../../src/store/record-writer.js';
import { SeqIds } from '../../src/store/seq-ids.js';
import { makeRecord } from '../helpers/records.js';
import { storeContents } from '../helpers/store-contents.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function freshPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-gateway-writer-'));
  dirs.push(dir);
  const path = join(dir, 'logs.db');
  openDatabase(path, { migrate: true }).close();
  return path;
}

/** What the capture worker did on its own before it had a writer thread: everything on one thread. */
function captureOnOneThread(db: Database, events: readonly CaptureEvent[]): void {
  const recorder = new Recorder({
    sink: new SqliteRecordSink(db),
    maxMessageBytes: 8 * 1024 * 1024,
    policy: DEFAULT_CAPTURE_POLICY,
    onStoreFailure: (error) => {
      throw error;
    },
    onListenerError: (_listener, error) => {
      throw error;
    },
  });
  for (let i = 0; i < events.length; i += 1024) recorder.record(events.slice(i, i + 1024));
}

function queueOn(path: string): CaptureQueue {
  return new CaptureQueue({
    store: { kind: 'sqlite', path },
    maxMessageBytes: 8 * 1024 * 1024,
    queueBytes: 256 * 1024 * 1024,
    policy: DEFAULT_CAPTURE_POLICY,
    log: (message) => {
      throw new Error(message);
    },
  });
}

describe('the capture writer thread', () => {
  it('stores the same records, search terms and totals as capture on one thread', async () => {
    // The query benchmark's traffic: tool calls with links between rounds, resource reads, notifications,
    // initialize handshakes that name client and server, and credentials in some tool calls for redaction.
    const events = captureEvents(new TrafficWithSecrets(11), 600);
    // The queue hands response chunks' memory over to its worker: each run gets its own copy.
    const sent = structuredClone(events);
    const oneThread = openDatabase(freshPath());
    captureOnOneThread(oneThread, events);
    const expected = storeContents(oneThread);
    oneThread.close();

    const path = freshPath();
    const queue = queueOn(path);
    await queue.start();
    for (const event of sent) queue.emit(event, 100);
    await queue.flush();
    expect(queue.stats()).toMatchObject({ captured: expected.records.length, dropped: 0, storeFailures: 0 });
    await queue.close();
    const written = openDatabase(path);
    const actual = storeContents(written);
    written.close();

    expect(expected.records.length).toBeGreaterThan(1000);
    expect(expected.terms.length).toBeGreaterThan(10_000);
    expect(expected.records.some((r) => (r as { partner_id: number | null }).partner_id !== null)).toBe(true);
    expect(expected.records.some((r) => (r as { redactions: number }).redactions > 0)).toBe(true);
    for (const part of Object.keys(expected) as (keyof typeof expected)[])
      expect([part, actual[part]]).toEqual([part, expected[part]]);
  });

  it('links an answer to its request when another writer took ids in between', async () => {
    const path = freshPath();
    const queue = queueOn(path);
    await queue.start();
    const events = captureEvents(new TrafficGenerator(3), 1);
    const answer = events.findIndex((event) => event.type === 'response-start');
    for (const event of events.slice(0, answer)) queue.emit(event, 100);
    await queue.flush();
    // A health note or an import, written by the gateway's own connection meanwhile.
    const db = openDatabase(path);
    new SqliteRecordSink(db).insert(makeRecord({ server: 'elsewhere', summary: 'written in between' }));
    for (const event of events.slice(answer)) queue.emit(event, 100);
    await queue.close();
    const rows = db.prepare('SELECT id, server, kind, partner_id FROM records ORDER BY id').all();
    db.close();
    expect(rows).toEqual([
      { id: 1, server: expect.any(String), kind: 'request', partner_id: null },
      { id: 2, server: 'elsewhere', kind: expect.any(String), partner_id: null },
      { id: 3, server: expect.any(String), kind: 'response', partner_id: 1 },
    ]);
  });
});

describe('capture numbers to record ids', () => {
  it('follow each batch, skip ids others took, and give none to records whose batch was lost', () => {
    const ids = new SeqIds();
    ids.begin(1, 1);
    ids.begin(4, 4);
    expect([ids.id(1), ids.id(3), ids.id(4), ids.id(null)]).toEqual([1, 3, 4, null]);
    // Another writer stored ids 6 and 7 after numbers 4 and 5.
    ids.begin(6, 8);
    expect([ids.id(5), ids.id(6), ids.id(9)]).toEqual([5, 8, 11]);
    // The batch from number 10 was rolled back: the next one takes the ids it would have had.
    ids.lost(10);
    ids.begin(13, 12);
    expect([ids.id(9), ids.id(10), ids.id(12), ids.id(13), ids.id(14)]).toEqual([11, null, null, 12, 13]);
  });
});
