import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BENCH_TOKEN = 'bench-token-0123456789abcdef';

/** Resolves with the first match of `pattern` in the child's output, within `timeoutMs`. */
function waitForOutput(
  child: ChildProcess,
  pattern: RegExp,
  what: string,
  timeoutMs = 20_000,
): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`${what} did not start within ${timeoutMs / 1000} s:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${what} exited with ${code}:\n${output}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export interface Upstream {
  origin: string;
  stop(): Promise<void>;
}

export async function startFastUpstream(): Promise<Upstream> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'bench/proxy/fast-upstream.ts'), '0'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const match = await waitForOutput(child, /listening (\d+)/, 'fast upstream');
  return { origin: `http://127.0.0.1:${match[1]}`, stop: () => stop(child) };
}

/** The bare forwarder (bare-forwarder.ts) in front of `upstream`'s `path`: the floor any proxy pays here. */
export async function startBareForwarder(upstream: Upstream, path: string): Promise<Upstream> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'bench/proxy/bare-forwarder.ts'), upstream.origin, path, '0'],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const match = await waitForOutput(child, /listening (\d+)/, 'bare forwarder');
  return { origin: `http://127.0.0.1:${match[1]}`, stop: () => stop(child) };
}

export async function startEverythingHttp(): Promise<Upstream> {
  const entry = createRequire(import.meta.url).resolve(
    '@modelcontextprotocol/server-everything/dist/index.js',
  );
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn(process.execPath, [entry, 'streamableHttp'], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await waitForOutput(child, /listening on port/, 'server-everything');
  return { origin: `http://127.0.0.1:${port}`, stop: () => stop(child) };
}

export interface GatewayProcess {
  origin: string;
  pid: number;
  storageDir: string;
  /** CPU time (user + system) the gateway process has used, in milliseconds. */
  cpuMs(): number;
  rssMb(): number;
  dbBytes(): number;
  status(): Promise<{ capture: { captured: number; dropped: number; storeFailures: number } }>;
  stop(): Promise<void>;
}

/**
 * The built CLI (`bin/mcp-gateway.js`) in its own process, with `servers` in a fresh storage dir, or in
 * `storageDir` when given (a store generated beforehand). `stop` removes the storage dir either way.
 */
export async function startGatewayProcess(
  servers: Record<string, unknown>,
  args: string[] = [],
  storageDir = mkdtempSync(join(tmpdir(), 'mcp-gateway-bench-')),
): Promise<GatewayProcess> {
  writeFileSync(join(storageDir, 'mcp.json'), JSON.stringify({ mcpServers: servers }), { mode: 0o600 });
  // With the V8 flags the bin script's first line gives it, as `mcp-gateway` and `npm start` run it.
  const bin = join(ROOT, 'bin/mcp-gateway.js');
  const flags =
    readFileSync(bin, 'utf8')
      .split('\n')[0]
      ?.match(/--[\w-]+=\S+/g) ?? [];
  // BENCH_GATEWAY_NODE_FLAGS adds Node flags, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it.
  const extra = (process.env.BENCH_GATEWAY_NODE_FLAGS ?? '').split(' ').filter((flag) => flag !== '');
  const child = spawn(
    process.execPath,
    [...flags, ...extra, bin, '--port', '0', '--storage-dir', storageDir, ...args],
    {
      env: { ...process.env, MCP_GATEWAY_TOKEN: BENCH_TOKEN },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  // A store of a million records takes longer to open than a fresh one.
  const match = await waitForOutput(child, /Web UI\s+http:\/\/localhost:(\d+)/, 'gateway', 60_000);
  const origin = `http://127.0.0.1:${match[1]}`;
  const pid = child.pid as number;
  const ticksPerSecond = 100;
  return {
    origin,
    pid,
    storageDir,
    cpuMs() {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
    },
    rssMb() {
      const line = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return Number(line?.[1] ?? 0) / 1024;
    },
    dbBytes() {
      let total = 0;
      for (const file of ['logs.db', 'logs.db-wal']) {
        try {
          total += statSync(join(storageDir, file)).size;
        } catch {
          // The WAL may have been checkpointed away.
        }
      }
      return total;
    },
    async status() {
      const response = await fetch(`${origin}/api/status`, {
        headers: { authorization: `Bearer ${BENCH_TOKEN}` },
      });
      return (await response.json()) as {
        capture: { captured: number; dropped: number; storeFailures: number };
      };
    },
    async stop() {
      await stop(child);
      rmSync(storageDir, { recursive: true, force: true });
    },
  };
}
