import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CaptureQueue } from '../../src/capture/capture-queue.js';
import type { CaptureEvent } from '../../src/core/capture-events.js';
import { openDatabase } from '../../src/store/database.js';
import { type SdkServer, startSdkServer } from '../fixtures/sdk-server.js';
import { startTestGateway } from '../helpers/gateway.js';
import { connectClient } from '../helpers/mcp-client.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function line(n: number): CaptureEvent {
  return {
    type: 'stdio-line',
    time: Date.now(),
    server: 'q',
    sessionId: null,
    stream: 'stdout',
    line: JSON.stringify({
      jsonrpc: '2.0',
      method: 'notifications/message',
      params: { level: 'info', data: `line ${n}` },
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
      databasePath: database,
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
