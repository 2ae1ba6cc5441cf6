import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { connectClient } from '../helpers/mcp-client.js';
import { serverStatus, stdioServers, waitFor, waitForState } from '../helpers/stdio.js';

/**
 * A stdio server that cannot serve (it exits at once, or crashes and keeps crashing) fails the requests
 * meant for it at once, with its exit code and its last stderr lines, instead of leaving clients waiting
 * for the request timeout. The timeout here is a minute; every error must come within seconds.
 */
const TIMEOUT_MS = 60_000;
/** Well under the timeout, with room for a loaded machine to start a Node process or two. */
const FAST_MS = 5_000;

function text(result: unknown): string {
  return (result as { content: { text: string }[] }).content[0]?.text ?? '';
}

/** How long `promise` takes to settle, and its error (null if it resolved). */
async function timed(promise: Promise<unknown>): Promise<{ ms: number; error: Error | null }> {
  const started = Date.now();
  const error = await promise.then(
    () => null,
    (e: unknown) => e as Error,
  );
  return { ms: Date.now() - started, error };
}

function post(url: string, body: unknown, sessionId?: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(sessionId ? { 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18' } : {}),
    },
    body: JSON.stringify(body),
  });
}

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'curl', version: '1' } },
};

/** Clients that declare nothing share the server's one process, whose state the status reports. */
const NO_CAPABILITIES = {};

describe('stdio servers that cannot serve fail requests at once, with the reason', () => {
  let gw: TestGateway;
  let dir: string;
  let brokenMark: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-gateway-fail-fast-'));
    brokenMark = join(dir, 'broken');
    gw = await startTestGateway({
      servers: {
        broken: stdioServers.exitsAtOnce({ timeout: TIMEOUT_MS }),
        'broken-isolated': stdioServers.exitsAtOnce({ timeout: TIMEOUT_MS, sessionMode: 'isolated' }),
        flaky: stdioServers.fixture({ env: { FIXTURE_BROKEN_WHEN: brokenMark }, timeout: TIMEOUT_MS }),
        once: stdioServers.fixture({ restart: false, timeout: TIMEOUT_MS }),
        healthy: stdioServers.fixture({ timeout: TIMEOUT_MS }),
      },
    });
    await Promise.all(['flaky', 'once', 'healthy'].map((name) => waitForState(gw, name, 'running')));
  });

  afterAll(async () => {
    await gw?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shared: a server that exits at once fails initialize in seconds, 502, with its exit code and stderr', async () => {
    const { ms, error } = await timed(connectClient(gw.proxyUrl('broken')));
    expect(ms).toBeLessThan(FAST_MS);
    expect(error?.message).toMatch(/stdio server .*broken.* (exited|is not running).*exit code 3/);
    expect(error?.message).toMatch(/OPENAI_API_KEY is not set/);
    expect(error?.message).toMatch(/check its command, args and env in mcp\.json/);

    const started = Date.now();
    const response = await post(gw.proxyUrl('broken'), initialize);
    expect(Date.now() - started).toBeLessThan(FAST_MS);
    expect(response.status).toBe(502);
    const body = (await response.json()) as { id: unknown; error: { code: number; message: string } };
    expect(body.id).toBe(1);
    expect(body.error.code).toBe(-32000);
    expect(body.error.message).toMatch(/exit code 3.*Last stderr: .*OPENAI_API_KEY is not set/);

    expect((await serverStatus(gw, 'broken')).lastError).toMatch(/exit code 3/);
    // The other servers carry on.
    const session = await connectClient(gw.proxyUrl('healthy'));
    expect(text(await session.client.callTool({ name: 'echo', arguments: { message: 'ok' } }))).toBe(
      'Echo: ok',
    );
    await session.close();
  });

  it('isolated: a process that exits at once fails its initialize in seconds, saying to check the command', async () => {
    const { ms, error } = await timed(connectClient(gw.proxyUrl('broken-isolated')));
    expect(ms).toBeLessThan(FAST_MS);
    expect(error?.message).toMatch(/exited \(exit code 3\) before answering/);
    expect(error?.message).toMatch(/never answered initialize, so check its command, args and env/);
    expect(error?.message).toMatch(/Last stderr: .*OPENAI_API_KEY is not set.*giving up/);
  });

  it('shared, restart off: after a crash, a new request is refused at once with 502 and the reason', async () => {
    const session = await connectClient(gw.proxyUrl('once'), 'test-client', NO_CAPABILITIES);
    try {
      const crash = await timed(session.client.callTool({ name: 'crash', arguments: { code: 7 } }));
      expect(crash.ms).toBeLessThan(FAST_MS);
      expect(crash.error?.message).toMatch(/exited \(exit code 7\) before answering/);
      await waitForState(gw, 'once', 'crashed');

      const started = Date.now();
      const response = await post(
        gw.proxyUrl('once'),
        {
          jsonrpc: '2.0',
          id: 9,
          method: 'tools/call',
          params: { name: 'echo', arguments: { message: 'x' } },
        },
        session.transport.sessionId,
      );
      expect(Date.now() - started).toBeLessThan(FAST_MS);
      expect(response.status).toBe(502);
      const body = (await response.json()) as { id: unknown; error: { message: string } };
      expect(body.id).toBe(9);
      expect(body.error.message).toMatch(/is not running: it crashed \(exit code 7\)/);
      expect(body.error.message).toMatch(/POST \/api\/servers\/once\/restart/);
      expect(body.error.message).toMatch(/database connection lost/);
    } finally {
      await session.close();
    }
  });

  it('shared: a server that keeps crashing after it ran fails sessions old and new at once, then recovers', async () => {
    const session = await connectClient(gw.proxyUrl('flaky'), 'test-client', NO_CAPABILITIES);
    try {
      // From now on the process exits as soon as it starts, as after a bad upgrade or a revoked key.
      writeFileSync(brokenMark, '');
      const crash = await timed(session.client.callTool({ name: 'crash', arguments: { code: 5 } }));
      expect(crash.ms).toBeLessThan(FAST_MS);
      expect(crash.error?.message).toMatch(/exit code 5.*database connection lost/);

      // The restarts that follow die at once: the server is in a crash loop.
      await waitFor('a restart to die at start', async () => {
        const status = await serverStatus(gw, 'flaky');
        return status.state === 'crashed' && status.exitCode === 3;
      });
      const fresh = await timed(connectClient(gw.proxyUrl('flaky'), 'test-client', NO_CAPABILITIES));
      expect(fresh.ms).toBeLessThan(FAST_MS);
      expect(fresh.error?.message).toMatch(/exited while starting \(exit code 3\); it restarts in/);
      expect(fresh.error?.message).toMatch(/OPENAI_API_KEY is not set/);

      const call = await timed(session.client.callTool({ name: 'echo', arguments: { message: 'x' } }));
      expect(call.ms).toBeLessThan(FAST_MS);
      expect(call.error?.message).toMatch(/exit code 3.*OPENAI_API_KEY is not set/);

      rmSync(brokenMark);
      expect((await gw.api('/api/servers/flaky/restart', { method: 'POST' })).status).toBe(200);
      await waitForState(gw, 'flaky', 'running');
      expect(text(await session.client.callTool({ name: 'echo', arguments: { message: 'back' } }))).toBe(
        'Echo: back',
      );
    } finally {
      await session.close();
    }
  });
});
