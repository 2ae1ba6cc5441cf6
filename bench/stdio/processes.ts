import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
export const EVERYTHING = require.resolve('@modelcontextprotocol/server-everything/dist/index.js');
const TSX = require.resolve('tsx');
/** The CLI from its TypeScript sources (the same entry the tests use). */
const CLI = fileURLToPath(new URL('../../test/fixtures/cli.ts', import.meta.url));

export const everythingStdio = { command: process.execPath, args: [EVERYTHING, 'stdio'] };

export function cli(...args: string[]): { command: string; args: string[] } {
  return { command: process.execPath, args: ['--import', TSX, CLI, ...args] };
}

export interface Running {
  url: string;
  /** Resolves with what the process printed last (the gateway's shutdown summary). */
  stop(): Promise<string>;
}

/** Collects a child's output so that lines printed in any order can be waited for. */
function watch(child: ChildProcess, what: string) {
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  return (pattern: RegExp): Promise<RegExpExecArray> =>
    new Promise((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(output);
        if (!match) return;
        listeners.delete(check);
        clearTimeout(timer);
        resolve(match);
      };
      const timer = setTimeout(() => reject(new Error(`${what} did not start: ${output}`)), 30_000);
      child.once('exit', (code) => reject(new Error(`${what} exited with ${code}: ${output}`)));
      listeners.add(check);
      check();
    });
}

function stopper(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): () => Promise<string> {
  let tail = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-2000);
  });
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve(tail);
      child.once('exit', () => resolve(tail));
      child.kill(signal);
    });
}

/** server-everything in Streamable HTTP mode, its own process. */
export async function startEverythingHttp(port: number): Promise<Running> {
  const child = spawn(process.execPath, [EVERYTHING, 'streamableHttp'], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await watch(child, 'server-everything')(/listening on port/);
  return { url: `http://127.0.0.1:${port}/mcp`, stop: stopper(child, 'SIGKILL') };
}

/** A gateway process with server-everything registered twice, as a shared and as an isolated stdio server. */
export async function startGateway(): Promise<Running & { isolatedUrl: string }> {
  const storageDir = mkdtempSync(join(tmpdir(), 'mcp-gateway-bench-'));
  const servers = {
    everything: { type: 'stdio', ...everythingStdio, sessionMode: 'shared' },
    isolated: { type: 'stdio', ...everythingStdio, sessionMode: 'isolated' },
  };
  writeFileSync(join(storageDir, 'mcp.json'), JSON.stringify({ mcpServers: servers }), { mode: 0o600 });
  const { command, args } = cli('--port', '0', '--storage-dir', storageDir);
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const until = watch(child, 'the gateway');
  const [, port] = await until(/Listening\s+http:\/\/[^:]+:(\d+)/);
  await until(/stdio server everything: running/);
  const stop = stopper(child);
  return {
    url: `http://127.0.0.1:${port}/s/everything/mcp`,
    isolatedUrl: `http://127.0.0.1:${port}/s/isolated/mcp`,
    stop: async () => {
      const tail = await stop();
      rmSync(storageDir, { recursive: true, force: true });
      return tail;
    },
  };
}
