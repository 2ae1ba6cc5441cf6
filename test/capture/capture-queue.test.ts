import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CaptureQueue } from '../../src/capture/capture-queue.js';
import { DEFAULT_CAPTURE_POLICY } from '../../src/capture/policy.js';
import type { CaptureEvent } from '../../src/core/capture-events.js';
import { openDatabase } from '../../src/store/database.js';
import { type SdkServer, startSdkServer } from '../fixtures/sdk-server.js';
import { startTestGateway } from '../helpers/gateway.js';
import { connectClient } from '../helpers/mcp-client.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function line(n: number, data = `line ${n}`): CaptureEvent {
  return {
    type: 'stdio-line',
    time: Date.now(),
    server: 'q',
    sessionId: null,
    stream: 'stdout',
    line: JSON.stringify({
      jsonrpc: '2.0',
      method: 'notifications/message',
      params: { level: 'info', data },
    }),
    truncated: false,
  };
}

describe('capture queue', () => {
  it('never blocks: past its budget it drops events and counts them, and stores the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-queue-'));
    dirs.push(dir);
    const database = join(dir, 'logs.db');
    openDatabase(database, { migrate: true }).close();
    const logs: string[] = [];
    const queue = new CaptureQueue({
      store: { kind: 'sqlite', path: database },
      maxMessageBytes: 1024,
      queueBytes: 10_000,
      log: (m) => logs.push(m),
    });
    await queue.start();
    // All in one turn of the event loop: the worker cannot catch up, so the budget runs out.
    const accepted = Array.from({ length: 200 }, (_, n) => queue.emit(line(n), 1000)).filter(Boolean).length;
    expect(accepted).toBe(10);
    await queue.flush();
    const stats = queue.stats();
    expect(stats.dropped).toBe(190);
    expect(stats.captured).toBe(10);
    expect(stats.queuedBytes).toBe(0);
    expect(logs[0]).toMatch(/capture is falling behind: 1 capture event\(s\) dropped.*traffic is unaffected/);
    // With the budget freed, capture resumes.
    expect(queue.emit(line(999), 1000)).toBe(true);
    await queue.close();
    const db = openDatabase(database, { readonly: true });
    expect((db.prepare('SELECT count(*) AS n FROM records').get() as { n: number }).n).toBe(11);
    db.close();
  });

  it('stores batches that queued up behind a busy worker in order, each under the policy it was sent with', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-queue-'));
    dirs.push(dir);
    const database = join(dir, 'logs.db');
    openDatabase(database, { migrate: true }).close();
    const queue = new CaptureQueue({
      store: { kind: 'sqlite', path: database },
      maxMessageBytes: 4096,
      queueBytes: 64 * 1024 * 1024,
      log: () => {},
    });
    await queue.start();
    const secret = (n: number) => line(n, `${n} sk-live-${'k7'.repeat(12)}`);
    // Several batches of 1024 in one turn of the event loop, then a policy change, then more: the worker
    // takes the waiting batches together, and must still apply the change between them.
    for (let n = 0; n < 2500; n++) queue.emit(secret(n), 300);
    queue.configure({ redaction: { ...DEFAULT_CAPTURE_POLICY.redaction, enabled: false } });
    for (let n = 2500; n < 5000; n++) queue.emit(secret(n), 300);
    await queue.close();
    expect(queue.stats()).toMatchObject({ captured: 5000, dropped: 0, storeFailures: 0 });
    const db = openDatabase(database, { readonly: true });
    const rows = db.prepare('SELECT id, message FROM records ORDER BY id').all() as {
      id: number;
      message: string;
    }[];
    db.close();
    expect(rows.map((r) => Number(JSON.parse(r.message).params.data.split(' ')[0]))).toEqual(
      Array.from({ length: 5000 }, (_, n) => n),
    );
    expect(rows.slice(0, 2500).every((r) => !r.message.includes('sk-live-'))).toBe(true);
    expect(rows.slice(2500).every((r) => r.message.includes('sk-live-'))).toBe(true);
    expect(rows[4999]?.id).toBe(5000);
  });
});

describe('capture overload through the gateway', () => {
  let upstream: SdkServer;
  afterAll(async () => {
    await upstream?.stop();
  });

  it('keeps serving every call when capture cannot keep up, and reports the drops', async () => {
    upstream = await startSdkServer({ json: true });
    const gw = await startTestGateway({
      captureQueueMb: 0.25,
      servers: { big: { type: 'http', url: upstream.url } },
    });
    try {
      const client = await connectClient(gw.proxyUrl('big'));
      const results = await Promise.all(
        Array.from({ length: 40 }, () =>
          client.client.callTool({ name: 'big', arguments: { bytes: 100_000 } }),
        ),
      );
      for (const result of results)
        expect((result.content as { text: string }[])[0]?.text.length).toBe(100_000);
      await client.close();
      await gw.gateway.flushCapture();
      const status = (await (await gw.api('/api/status')).json()) as { capture: { dropped: number } };
      expect(status.capture.dropped).toBeGreaterThan(0);
      expect(gw.messages.some((m) => m.includes('capture is falling behind'))).toBe(true);
      const notes = await gw.records((r) => r.message.includes('capture queue was full'));
      expect(notes.length + status.capture.dropped).toBeGreaterThan(0);
    } finally {
      await gw.stop();
    }
  });
});
