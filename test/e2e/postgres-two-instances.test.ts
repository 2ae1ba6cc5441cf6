import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../src/api/live-events.js';
import { StartupError, startGateway } from '../../src/app/gateway.js';
import { resolveConfig } from '../../src/config/options.js';
import { STALE_GAP_MS } from '../../src/store/postgres/commit-horizon.js';
import { openPool } from '../../src/store/postgres/connection.js';
import { migratePostgres } from '../../src/store/postgres/migrations.js';
import { postgresSearchText } from '../../src/store/postgres/search-text.js';
import { takeIds, writeBatch } from '../../src/store/postgres/write-batch.js';
import { PostgresRecordWriter } from '../../src/store/postgres/writer.js';
import { RETENTION_FIRST_RUN_MS } from '../../src/store/retention.js';
import { recordToValues } from '../../src/store/rows.js';
import { runCli } from '../helpers/cli.js';
import { type RunningEverything, startEverything } from '../helpers/everything.js';
import { startTestGateway, TEST_TOKEN, type TestGateway } from '../helpers/gateway.js';
import { connectClient } from '../helpers/mcp-client.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { makeRecord } from '../helpers/records.js';
import { type FeedClient, openFeed } from '../helpers/sse-client.js';

/**
 * Two gateways, "alpha" and "beta", on one real PostgreSQL database (issue 14, "Done when"): what either
 * captures is in both APIs (`instance:` tells them apart) and reaches both live feeds.
 */

let postgres: TestPostgres;
let url: string;
let everything: RunningEverything;
let alpha: TestGateway;
let beta: TestGateway;

beforeAll(async () => {
  postgres = await startPostgres();
  url = await postgres.createDatabase();
  everything = await startEverything();
  // Records from before the gateways started: one past the default 30 days of retention.
  const pool = openPool(url);
  await migratePostgres(pool);
  const writer = new PostgresRecordWriter({ pool, instance: 'earlier' });
  writer.insert({ ...echoRecord('aged-out', 1), time: Date.now() - 60 * 86_400_000 });
  writer.insert({ ...echoRecord('kept-since-yesterday', 2), time: Date.now() - 86_400_000 });
  await writer.close();
  await pool.end();
  const servers = { everything: { type: 'http', url: everything.url } };
  // Started together: both migrate the same new database at once.
  [alpha, beta] = await Promise.all([
    startTestGateway({ store: url, instance: 'alpha', servers }),
    startTestGateway({ store: url, instance: 'beta', servers }),
  ]);
}, 90_000);

afterAll(async () => {
  await alpha?.stop();
  await beta?.stop();
  await everything?.stop();
  await postgres?.stop();
});

interface LogsPage {
  data: { id: number; method: string | null; summary: string; instance?: string }[];
}

/** What `filter` finds through one gateway's REST API (a page of up to 200, newest first). */
async function logs(gw: TestGateway, filter: string): Promise<LogsPage['data']> {
  const response = await gw.api(`/api/logs?limit=200&filter=${encodeURIComponent(filter)}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as LogsPage).data;
}

/** Waits until `filter` finds `count` records through `gw`'s API (another gateway commits on its own time). */
async function eventuallyLogs(gw: TestGateway, filter: string, count: number): Promise<LogsPage['data']> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = await logs(gw, filter);
    if (found.length >= count || Date.now() > deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const holds = (marker: string) => (event: LiveEvent) =>
  event.type === 'records' && JSON.stringify(event.records).includes(marker);

/** A tools/call request for `echo` whose text is `marker`. */
function echoRecord(marker: string, id: number) {
  return makeRecord({
    method: 'tools/call',
    summary: marker,
    message: JSON.stringify({
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: { name: 'echo', arguments: { message: marker } },
    }),
  });
}

/** How many records holding `marker` a feed has delivered, over all its events. */
function delivered(client: FeedClient, marker: string): number {
  return client.events
    .flatMap((event) => (event.type === 'records' ? event.records : []))
    .filter((record) => JSON.stringify(record).includes(marker)).length;
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}

async function feed(gw: TestGateway): Promise<FeedClient> {
  const client = await openFeed(`${gw.url}/api/events`, TEST_TOKEN);
  await client.waitFor((event) => event.type === 'hello');
  return client;
}

describe('two gateways on one PostgreSQL store', () => {
  it('names each instance in /api/status, with the store (password never shown)', async () => {
    for (const [gw, name] of [
      [alpha, 'alpha'],
      [beta, 'beta'],
    ] as const) {
      const status = (await (await gw.api('/api/status')).json()) as {
        instance: string;
        store: { kind: string; location: string };
      };
      expect(status.instance).toBe(name);
      expect(status.store).toEqual({ kind: 'postgres', location: url });
    }
  });

  it('shows records another writer commits in both APIs and both live feeds, instance: narrowing them', async () => {
    const feeds = [await feed(alpha), await feed(beta)];
    const pool = openPool(url);
    try {
      // Writers of two other gateways, as the capture path writes: one transaction per batch, NOTIFY after.
      const writers = ['gamma', 'delta'].map((instance) => new PostgresRecordWriter({ pool, instance }));
      for (const [i, writer] of writers.entries()) {
        const marker = `direct-${writer === writers[0] ? 'gamma' : 'delta'}`;
        writer.batch(() => {
          for (let n = 0; n < 3; n++) {
            writer.insert(
              makeRecord({
                method: 'tools/call',
                summary: `${marker} ${n}`,
                message: JSON.stringify({
                  jsonrpc: '2.0',
                  id: i * 10 + n,
                  method: 'tools/call',
                  params: { name: 'echo', arguments: { message: `${marker} ${n}` } },
                }),
              }),
            );
          }
        });
      }
      await Promise.all(writers.map((writer) => writer.close()));
      for (const gw of [alpha, beta]) {
        expect(await eventuallyLogs(gw, 'direct-gamma', 3)).toHaveLength(3);
        expect(await logs(gw, 'direct-delta')).toHaveLength(3);
        expect(await logs(gw, 'instance:gamma direct-')).toHaveLength(3);
        expect((await logs(gw, 'instance:gamma direct-')).map((r) => r.summary).sort()).toEqual([
          'direct-gamma 0',
          'direct-gamma 1',
          'direct-gamma 2',
        ]);
        expect(await logs(gw, '-instance:gamma direct-')).toHaveLength(3);
        // Each record names the gateway that wrote it.
        expect(new Set((await logs(gw, 'direct-')).map((r) => r.instance))).toEqual(
          new Set(['gamma', 'delta']),
        );
      }
      for (const client of feeds) {
        await client.waitFor(holds('direct-gamma 2'), 10_000);
        await client.waitFor(holds('direct-delta 2'), 10_000);
      }
    } finally {
      for (const client of feeds) client.close();
      await pool.end();
    }
  });

  it('serves exports, the management MCP tools and imports from the shared store', async () => {
    // An export from beta holds what other gateways wrote.
    const exported = await beta.api('/api/logs/export?filter=direct-gamma');
    const lines = (await exported.text()).trim().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { instance: string }).instance)).toEqual([
      'gamma',
      'gamma',
      'gamma',
    ]);
    // The management MCP server of alpha searches the shared store.
    const agent = new Client({ name: 'agent', version: '1.0.0' });
    await agent.connect(
      new StreamableHTTPClientTransport(new URL(`${alpha.url}/g/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${TEST_TOKEN}` } },
      }),
    );
    try {
      const found = await agent.callTool({ name: 'search_records', arguments: { filter: 'instance:delta' } });
      expect(JSON.stringify(found)).toContain('direct-delta 2');
    } finally {
      await agent.close();
    }
    // An import through alpha is alpha's write: it carries alpha's name and reaches beta's feed.
    const betaFeed = await feed(beta);
    try {
      const line = JSON.parse(lines[0] as string) as Record<string, unknown>;
      const imported = JSON.stringify({ ...line, summary: 'import-by-alpha' });
      const response = await alpha.api('/api/logs/import', {
        method: 'POST',
        body: `${imported.replaceAll('direct-gamma', 'import-by-alpha')}\n`,
        headers: { 'content-type': 'application/x-ndjson' },
      });
      expect(response.status).toBe(200);
      expect((await logs(beta, 'import-by-alpha')).map((r) => r.instance)).toEqual(['alpha']);
      await betaFeed.waitFor(holds('import-by-alpha'), 10_000);
    } finally {
      betaFeed.close();
    }
  });

  it('delivers a record committed after a later id of another gateway to both live feeds', async () => {
    const feeds = [await feed(alpha), await feed(beta)];
    const pool = openPool(url);
    const slow = await pool.connect();
    try {
      // A slow gateway takes its ids first and commits last.
      await slow.query('BEGIN');
      const ids = await takeIds(slow, 2);
      const fast = new PostgresRecordWriter({ pool, instance: 'fast' });
      fast.insert(echoRecord('committed-first', 1));
      await fast.close();
      const [first] = await eventuallyLogs(alpha, 'committed-first', 1);
      expect(first?.id).toBeGreaterThan(ids[1] as number);
      // The feeds hold it back while the slow gateway's ids may still commit (up to STALE_GAP_MS).
      const late = [echoRecord('committed-late', 2), echoRecord('committed-late', 3)];
      const ops = late.map((record) => ({
        op: 'insert' as const,
        values: recordToValues(record),
        text: postgresSearchText(record),
      }));
      await writeBatch(slow, 'slow', { firstSeq: 1, ops }, ids, () => null);
      await slow.query('COMMIT');
      // Every record reaches both feeds, the late ones though a higher id committed before them.
      for (const client of feeds) {
        await client.waitFor(holds('committed-first'), 10_000);
        await client.waitFor(holds('committed-late'), 10_000);
        await until(() => delivered(client, 'committed-late') === 2);
        expect(delivered(client, 'committed-late')).toBe(2);
      }
    } finally {
      slow.release();
      for (const client of feeds) client.close();
      await pool.end();
    }
  });

  it('sends a record whose commit came after the feed stopped waiting for it, late rather than never', async () => {
    const feeds = [await feed(alpha), await feed(beta)];
    const pool = openPool(url);
    const stalled = await pool.connect();
    try {
      // A gateway takes its ids, then its connection stalls for longer than feeds wait on a missing id.
      await stalled.query('BEGIN');
      const ids = await takeIds(stalled, 1);
      const fast = new PostgresRecordWriter({ pool, instance: 'fast' });
      fast.insert(echoRecord('not-waited-for', 1));
      await fast.close();
      for (const client of feeds) await client.waitFor(holds('not-waited-for'), STALE_GAP_MS + 5000);
      const record = echoRecord('stalled-then-committed', 2);
      const ops = [
        { op: 'insert' as const, values: recordToValues(record), text: postgresSearchText(record) },
      ];
      await writeBatch(stalled, 'stalled', { firstSeq: 1, ops }, ids, () => null);
      await stalled.query('COMMIT');
      for (const client of feeds) await client.waitFor(holds('stalled-then-committed'), 5000);
    } finally {
      stalled.release();
      for (const client of feeds) client.close();
      await pool.end();
    }
  }, 20_000);

  it('captures traffic through each gateway into the shared store: each API and live feed shows both', async () => {
    const feeds = [await feed(alpha), await feed(beta)];
    const clients = [
      await connectClient(alpha.proxyUrl('everything'), 'client-of-alpha'),
      await connectClient(beta.proxyUrl('everything'), 'client-of-beta'),
    ];
    try {
      await clients[0]?.client.callTool({ name: 'echo', arguments: { message: 'through-alpha' } });
      await clients[1]?.client.callTool({ name: 'echo', arguments: { message: 'through-beta' } });
      await Promise.all([alpha.gateway.flushCapture(), beta.gateway.flushCapture()]);
      for (const gw of [alpha, beta]) {
        // The request and its answer, from either gateway.
        expect(await eventuallyLogs(gw, 'through-alpha', 2)).toHaveLength(2);
        expect(await eventuallyLogs(gw, 'through-beta', 2)).toHaveLength(2);
        // Each record names the gateway that captured it, and instance: finds that gateway's.
        expect((await logs(gw, 'through-alpha')).map((r) => r.instance)).toEqual(['alpha', 'alpha']);
        expect((await logs(gw, 'through-beta')).map((r) => r.instance)).toEqual(['beta', 'beta']);
        expect(await logs(gw, 'instance:alpha through-')).toHaveLength(2);
        expect(await logs(gw, 'instance:beta method:initialize')).not.toHaveLength(0);
      }
      // Each live feed receives the other gateway's traffic, and its own.
      for (const client of feeds) {
        await client.waitFor(holds('through-alpha'), 10_000);
        await client.waitFor(holds('through-beta'), 10_000);
      }
    } finally {
      for (const client of feeds) client.close();
      for (const client of clients) await client?.close();
    }
  });

  it('prunes records past the retention limit from the shared store, as on SQLite', async () => {
    // The first run comes RETENTION_FIRST_RUN_MS after start.
    const deadline = Date.now() + RETENTION_FIRST_RUN_MS + 10_000;
    while ((await logs(alpha, 'aged-out')).length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(await logs(alpha, 'aged-out')).toHaveLength(0);
    expect(await logs(beta, 'aged-out')).toHaveLength(0);
    expect(await logs(beta, 'kept-since-yesterday')).toHaveLength(1);
  }, 30_000);

  it('starts from the built CLI on the store, naming it and the instance in the banner', async () => {
    const storageDir = mkdtempSync(join(tmpdir(), 'mcp-gateway-pg-cli-'));
    const run = runCli(['--port', '0', '--storage-dir', storageDir], {
      MCP_GATEWAY_STORE: url,
      MCP_GATEWAY_INSTANCE: 'from-the-cli',
    });
    try {
      const banner = await run.waitFor(/Servers/, 30_000);
      expect(banner).toContain(`Store       ${url} (instance from-the-cli)`);
      // The capture store is the database: nothing of it in the storage dir.
      expect(existsSync(join(storageDir, 'logs.db'))).toBe(false);
    } finally {
      run.child.kill('SIGTERM');
      await run.exit();
      rmSync(storageDir, { recursive: true, force: true });
    }
  });

  it('refuses a database that does not exist with one clear line (exit 2), password left out', async () => {
    const wrong = new URL(url);
    wrong.password = 's3cret';
    wrong.pathname = '/no_such_database';
    const storageDir = mkdtempSync(join(tmpdir(), 'mcp-gateway-pg-wrong-'));
    const config = resolveConfig({ port: 0, token: TEST_TOKEN, store: wrong.href, storageDir });
    const started = startGateway(config, { info: () => {}, warn: () => {} });
    const error = (await started.catch((e: unknown) => e)) as StartupError;
    rmSync(storageDir, { recursive: true, force: true });
    expect(error).toBeInstanceOf(StartupError);
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(
      /^cannot reach the PostgreSQL store at postgres:\/\/postgres@127\.0\.0\.1:\d+\/no_such_database: .*does not exist/,
    );
    expect(error.message).not.toContain('s3cret');
    expect(error.message).not.toContain('\n');
  });
  it('says what right a user lacks when it may not create the tables (exit 2)', async () => {
    const database = await postgres.createDatabase();
    const admin = new pg.Client({ connectionString: postgres.adminUrl });
    await admin.connect();
    await admin.query('CREATE ROLE visitor LOGIN');
    await admin.end();
    const asVisitor = new URL(database);
    asVisitor.username = 'visitor';
    const storageDir = mkdtempSync(join(tmpdir(), 'mcp-gateway-pg-rights-'));
    const config = resolveConfig({ port: 0, token: TEST_TOKEN, store: asVisitor.href, storageDir });
    const error = (await startGateway(config, { info: () => {}, warn: () => {} }).catch(
      (e: unknown) => e,
    )) as StartupError;
    rmSync(storageDir, { recursive: true, force: true });
    expect(error).toBeInstanceOf(StartupError);
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(
      `cannot prepare the PostgreSQL store at ${asVisitor.href}: permission denied`,
    );
    expect(error.message).toContain('GRANT CREATE ON SCHEMA public');
  });

  it('answers 503 with what to check while PostgreSQL is down, and its live feed goes on once it is back', async () => {
    const client = await feed(alpha);
    await postgres.halt();
    try {
      const response = await alpha.api('/api/logs');
      expect(response.status).toBe(503);
      const { error } = (await response.json()) as { error: string };
      expect(error).toMatch(
        /^The PostgreSQL store at postgres:\/\/postgres@127\.0\.0\.1:\d+\/\w+ cannot be reached/,
      );
      expect(error).toContain('Check that PostgreSQL runs');
      // The status still answers, without the count it cannot read.
      const status = await beta.api('/api/status');
      expect(status.status).toBe(200);
      expect(((await status.json()) as { records: { inStore: number | null } }).records.inStore).toBeNull();
    } finally {
      await postgres.resume();
    }
    const pool = openPool(url);
    const writer = new PostgresRecordWriter({ pool, instance: 'gamma' });
    writer.insert(echoRecord('after-the-outage', 1));
    await writer.close();
    await pool.end();
    try {
      await client.waitFor(holds('after-the-outage'), 15_000);
      expect((await alpha.api('/api/logs')).status).toBe(200);
    } finally {
      client.close();
    }
  }, 40_000);
});
