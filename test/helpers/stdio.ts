import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { ServerStatus } from '../../src/core/server-status.js';
import type { TestGateway } from './gateway.js';

const require = createRequire(import.meta.url);
const EVERYTHING = require.resolve('@modelcontextprotocol/server-everything/dist/index.js');
const MEMORY = require.resolve('@modelcontextprotocol/server-memory/dist/index.js');
const FILESYSTEM = require.resolve('@modelcontextprotocol/server-filesystem/dist/index.js');
const FIXTURE = fileURLToPath(new URL('../fixtures/stdio-server.ts', import.meta.url));
const EXITS_AT_ONCE = fileURLToPath(new URL('../fixtures/exits-at-once.mjs', import.meta.url));
const CLI = fileURLToPath(new URL('../fixtures/cli.ts', import.meta.url));
const TSX = require.resolve('tsx');

/** Command lines of the real stdio servers the tests run, as mcp.json entries. */
export const stdioServers = {
  everything: (extra: Record<string, unknown> = {}) => ({
    type: 'stdio',
    command: process.execPath,
    args: [EVERYTHING, 'stdio'],
    ...extra,
  }),
  memory: (file: string, extra: Record<string, unknown> = {}) => ({
    type: 'stdio',
    command: process.execPath,
    args: [MEMORY],
    env: { MEMORY_FILE_PATH: file },
    ...extra,
  }),
  /** server-filesystem allowed to reach `dirs` (until a client's roots replace them). */
  filesystem: (dirs: string[], extra: Record<string, unknown> = {}) => ({
    type: 'stdio',
    command: process.execPath,
    args: [FILESYSTEM, ...dirs],
    ...extra,
  }),
  fixture: (extra: Record<string, unknown> = {}) => ({
    type: 'stdio',
    command: process.execPath,
    args: ['--import', TSX, FIXTURE],
    ...extra,
  }),
  /** Writes two stderr lines and exits with code 3, at once. */
  exitsAtOnce: (extra: Record<string, unknown> = {}) => ({
    type: 'stdio',
    command: process.execPath,
    args: [EXITS_AT_ONCE],
    ...extra,
  }),
};

export const everythingCommand = { command: process.execPath, args: [EVERYTHING, 'stdio'] };
export const fixtureCommand = { command: process.execPath, args: ['--import', TSX, FIXTURE] };

/** The mcp-gateway CLI from its sources, the way a client's config would launch it. */
export function cliCommand(...args: string[]): { command: string; args: string[] } {
  return { command: process.execPath, args: ['--import', TSX, CLI, ...args] };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls until `check` returns a value (not undefined/false); fails with `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function serverStatus(gw: TestGateway, name: string): Promise<ServerStatus & { name: string }> {
  const response = await gw.api(`/api/servers/${name}/status`);
  return (await response.json()) as ServerStatus & { name: string };
}

/** Waits until the server reports `state` (and, when given, a pid other than `notPid`). */
export function waitForState(
  gw: TestGateway,
  name: string,
  state: ServerStatus['state'],
  notPid?: number,
): Promise<ServerStatus> {
  return waitFor(`${name} to be ${state}`, async () => {
    const status = await serverStatus(gw, name);
    return status.state === state && (notPid === undefined || status.pid !== notPid) ? status : undefined;
  });
}

const V2_FIXTURE = fileURLToPath(new URL('../fixtures/sdk-v2-stdio-server.ts', import.meta.url));

/** An SDK v2 stdio server: `reject` speaks only MCP 2026-07-28, `serve` both eras. */
export function v2StdioServer(legacy: 'reject' | 'serve', extra: Record<string, unknown> = {}) {
  return {
    type: 'stdio',
    command: process.execPath,
    args: ['--import', TSX, V2_FIXTURE, '--legacy', legacy],
    ...extra,
  };
}
