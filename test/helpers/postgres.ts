import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './ports.js';

/**
 * A real PostgreSQL server for a test file: a throwaway cluster (initdb) in a temporary directory, on a
 * free loopback port, stopped and deleted by `stop()`. It uses the server binaries Debian's `postgresql`
 * package installs (`.ci/run` installs it). PostgreSQL refuses to run as root, so as root the cluster
 * belongs to the `postgres` user the package creates.
 */
export interface TestPostgres {
  /** A connection URL for a fresh database of its own (each call creates one). */
  createDatabase(): Promise<string>;
  /** The server's URL for the `postgres` database (to create or inspect databases). */
  readonly adminUrl: string;
  /** Stops the server as an outage would, keeping its data; `resume()` starts it again on the same port. */
  halt(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<void>;
}

function binDir(): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const dir = join(base, version, 'bin');
    if (existsSync(join(dir, 'initdb'))) return dir;
  }
  throw new Error(
    'PostgreSQL server binaries not found under /usr/lib/postgresql: install them with `apt-get install postgresql` (.ci/run does)',
  );
}

/** As root, the `postgres` user's ids, which the server binaries run under. */
function serverUser(): { uid: number; gid: number } | Record<string, never> {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

export async function startPostgres(): Promise<TestPostgres> {
  const bin = binDir();
  const user = serverUser();
  const root = mkdtempSync(join(tmpdir(), 'mcp-gateway-pg-'));
  // The postgres user must be able to reach its data directory inside the temporary one.
  chmodSync(root, 0o755);
  const data = join(root, 'data');
  mkdirSync(data, { mode: 0o700 });
  if ('uid' in user) chownSync(data, user.uid, user.gid);
  execFileSync(
    join(bin, 'initdb'),
    ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8'],
    { stdio: ['ignore', 'pipe', 'pipe'], ...user },
  );
  const port = await freePort();
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let server = await launch(bin, data, port, user, adminUrl, root);
  async function halt(): Promise<void> {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    // SIGINT: PostgreSQL's "fast shutdown" (sessions are ended, no wait for clients to disconnect).
    server.kill('SIGINT');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    if (server.exitCode === null) server.kill('SIGKILL');
  }
  let databases = 0;
  return {
    adminUrl,
    async createDatabase() {
      const name = `gateway_${process.pid}_${++databases}`;
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    halt,
    async resume() {
      server = await launch(bin, data, port, user, adminUrl, root);
    },
    async stop() {
      if (server.exitCode === null && server.signalCode === null) await halt();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Starts the server on `data` and waits until it takes connections. */
async function launch(
  bin: string,
  data: string,
  port: number,
  user: { uid: number; gid: number } | Record<string, never>,
  adminUrl: string,
  root: string,
): Promise<ChildProcess> {
  const server = spawn(
    join(bin, 'postgres'),
    [
      '-D',
      data,
      '-p',
      String(port),
      '-h',
      '127.0.0.1',
      '-k',
      data,
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=200',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], ...user },
  );
  let log = '';
  server.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const client = new pg.Client({ connectionString: adminUrl });
    try {
      await client.connect();
      await client.end();
      break;
    } catch (error) {
      await client.end().catch(() => {});
      if (server.exitCode !== null || Date.now() > deadline) {
        server.kill('SIGKILL');
        rmSync(root, { recursive: true, force: true });
        throw new Error(`PostgreSQL did not start: ${(error as Error).message}\n${log}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return server;
}
