import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { connectClient } from '../helpers/mcp-client.js';
import { stdioServers, waitFor } from '../helpers/stdio.js';

/**
 * Large stdout lines from a stdio server: a line over the limit fails the request it answers as soon as
 * it ends (never after the timeout), and a large answer under the limit goes through with the gateway's
 * memory bounded. The timeout here is a minute; the errors must come within seconds.
 */
const TIMEOUT_MS = 60_000;
const FAST_MS = 5_000;
const MiB = 1024 * 1024;

function text(result: unknown): string {
  return (result as { content: { text: string }[] }).content[0]?.text ?? '';
}

async function timed(promise: Promise<unknown>): Promise<{ ms: number; error: Error | null }> {
  const started = Date.now();
  const error = await promise.then(
    () => null,
    (e: unknown) => e as Error,
  );
  return { ms: Date.now() - started, error };
}

describe('a stdio line over the limit, with its id written first', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startTestGateway({
      servers: {
        shared: stdioServers.fixture({ timeout: TIMEOUT_MS }),
        small: stdioServers.fixture({ timeout: TIMEOUT_MS, sessionMode: 'isolated', maxLineMb: 4 }),
      },
    });
  });

  afterAll(async () => {
    await gw?.stop();
  });

  it('fails its request when the line ends, naming sizes and the setting, and the session carries on', async () => {
    const session = await connectClient(gw.proxyUrl('shared'));
    try {
      const call = session.client.callTool({ name: 'huge', arguments: { bytes: 40_000_000 } }, undefined, {
        timeout: TIMEOUT_MS,
      });
      const { ms, error } = await timed(call);
      expect(ms).toBeLessThan(FAST_MS);
      expect(error?.message).toMatch(
        /stdio server "shared" answered tools\/call with a message of 38\.1 MiB, over the gateway's limit of 32\.0 MiB/,
      );
      expect(error?.message).toMatch(/raise "maxLineMb" for "shared" in mcp\.json \(now 32\)/);
      expect(text(await session.client.callTool({ name: 'echo', arguments: { message: 'ok' } }))).toBe(
        'Echo: ok',
      );
    } finally {
      await session.close();
    }
  });

  it('honours a per-server "maxLineMb" (isolated mode)', async () => {
    const session = await connectClient(gw.proxyUrl('small'));
    try {
      const { ms, error } = await timed(
        session.client.callTool({ name: 'huge', arguments: { bytes: 5 * MiB } }, undefined, {
          timeout: TIMEOUT_MS,
        }),
      );
      expect(ms).toBeLessThan(FAST_MS);
      expect(error?.message).toMatch(/over the gateway's limit of 4\.0 MiB .*\(now 4\)/);
      // Under the setting, a large answer goes through.
      const big = await session.client.callTool({ name: 'big', arguments: { bytes: 3 * MiB } });
      expect(text(big).length).toBe(3 * MiB);
    } finally {
      await session.close();
    }
  });
});

/** Peak resident memory of a process (Linux: VmHWM in /proc/<pid>/status), in MiB. */
function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]) / 1024;
}

/** The Node flags the CLI's shebang line runs it with: what `mcp-gateway` users get. */
function shebangFlags(): string[] {
  const first = readFileSync(BIN, 'utf8').split('\n', 1)[0] ?? '';
  return first.split(/\s+/).filter((part) => part.startsWith('--'));
}

describe.runIf(process.platform === 'linux')('the built gateway passing large stdio answers', () => {
  let dir: string;
  let gateway: ChildProcess;
  let url: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-gateway-large-'));
    writeFileSync(
      join(dir, 'mcp.json'),
      JSON.stringify({ mcpServers: { fixture: stdioServers.fixture({ timeout: TIMEOUT_MS }) } }),
      { mode: 0o600 },
    );
    gateway = spawn(process.execPath, [...shebangFlags(), BIN, '--port', '0', '--storage-dir', dir], {
      env: { ...process.env, MCP_GATEWAY_TOKEN: 'large-lines-token-0123456789' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    gateway.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    gateway.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    url = await waitFor(
      'the gateway and its stdio server to run',
      () => /stdio server fixture: running/.test(output) && /(http:\/\/\S+?)\/ui\?token=/.exec(output)?.[1],
      30_000,
    );
  });

  afterAll(async () => {
    // SIGTERM: the gateway stops its stdio server before it exits (SIGKILL would leave it running).
    if (gateway && gateway.exitCode === null) {
      const exited = new Promise((resolve) => gateway.once('exit', resolve));
      gateway.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('a 20 MB answer arrives whole and a 40 MB line is refused, with its memory bounded', async () => {
    const session = await connectClient(`${url}/s/fixture/mcp`);
    try {
      const result = await session.client.callTool(
        { name: 'big', arguments: { bytes: 20_000_000 } },
        undefined,
        {
          timeout: TIMEOUT_MS,
        },
      );
      expect(text(result).length).toBe(20_000_000);
      const { ms, error } = await timed(
        session.client.callTool({ name: 'huge', arguments: { bytes: 40_000_000 } }, undefined, {
          timeout: TIMEOUT_MS,
        }),
      );
      expect(ms).toBeLessThan(FAST_MS);
      expect(error?.message).toMatch(/with a message of 38\.1 MiB, over the gateway's limit of 32\.0 MiB/);
      expect(text(await session.client.callTool({ name: 'echo', arguments: { message: 'ok' } }))).toBe(
        'Echo: ok',
      );
      // Parsing, forwarding and recording 20 MB takes a few copies of it, not dozens: the whole gateway,
      // its capture worker included, stays under 340 MB at its peak. (The capture worker and its writer
      // each keep a young generation of up to 32 MB, capture-queue.ts and writer-thread.ts say why.)
      expect(peakRssMb(gateway.pid as number)).toBeLessThan(340);
    } finally {
      await session.close();
    }
  });
});
