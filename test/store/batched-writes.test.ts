import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { captureEvents } from '../../bench/query/capture-cpu.js';
import { TrafficGenerator } from '../../bench/query/traffic.js';
import { DEFAULT_CAPTURE_POLICY } from '../../src/capture/policy.js';
import { Recorder } from '../../src/capture/recorder.js';
import type { CaptureEvent } from '../../src/core/capture-events.js';
import { type Database, openDatabase } from '../../src/store/database.js';
import { type RecordSink, SqliteRecordSink } from '../../src/store/record-writer.js';
import { storeContents } from '../helpers/store-contents.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function freshDatabase(): Database {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-gateway-batched-'));
  dirs.push(dir);
  return openDatabase(join(dir, 'logs.db'), { migrate: true });
}

/** Records `events` through the capture pipeline into `sink`, in batches of `batchEvents` events. */
function capture(sink: RecordSink, events: readonly CaptureEvent[], batchEvents: number): void {
  const recorder = new Recorder({
    sink,
    maxMessageBytes: 8 * 1024 * 1024,
    policy: DEFAULT_CAPTURE_POLICY,
    onStoreFailure: (error) => {
      throw error;
    },
    onListenerError: (_listener, error) => {
      throw error;
    },
  });
  for (let i = 0; i < events.length; i += batchEvents) recorder.record(events.slice(i, i + batchEvents));
}

describe('batched capture writes', () => {
  it('store the same records, search terms and totals as writing each record on its own', () => {
    // The query benchmark's traffic: tool calls with links between rounds, resource reads, notifications,
    // initialize handshakes that name client and server, and credentials for redaction to find.
    const events = captureEvents(new TrafficGenerator(11), 600);
    const oneByOne = freshDatabase();
    const sink = new SqliteRecordSink(oneByOne);
    // No transaction around a batch: every record is inserted as it is made, the way records were written
    // before batches held them until their end.
    capture(
      {
        batch: (work) => work(),
        insert: (record, parsed) => sink.insert(record, parsed),
        completeRequest: (id, status, session) => sink.completeRequest(id, status, session),
        identify: (id, name, version) => sink.identify(id, name, version),
        saveSession: (session) => sink.saveSession(session),
      },
      events,
      1,
    );
    const batched = freshDatabase();
    capture(new SqliteRecordSink(batched), events, 1024);

    const expected = storeContents(oneByOne);
    const actual = storeContents(batched);
    expect(expected.records.length).toBeGreaterThan(1000);
    expect(expected.records.some((r) => (r as { partner_id: number | null }).partner_id !== null)).toBe(true);
    expect(expected.sessions.some((s) => (s as { server_name: string | null }).server_name !== null)).toBe(
      true,
    );
    for (const part of Object.keys(expected) as (keyof typeof expected)[])
      expect([part, actual[part]]).toEqual([part, expected[part]]);
  });

  it('continue the ids after records written outside a batch and after pruned ones', () => {
    const db = freshDatabase();
    const sink = new SqliteRecordSink(db);
    const events = captureEvents(new TrafficGenerator(5), 20);
    capture(sink, events, 1024);
    const last = (db.prepare('SELECT max(id) AS id FROM records').get() as { id: number }).id;
    db.exec(`DELETE FROM records WHERE id > ${last - 5}`);
    capture(sink, events, 1024);
    const ids = (db.prepare('SELECT id FROM records ORDER BY id').all() as { id: number }[]).map((r) => r.id);
    // AUTOINCREMENT: ids of pruned records are never given again (links and cursors stay valid).
    expect(ids[last - 5]).toBe(last + 1);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
