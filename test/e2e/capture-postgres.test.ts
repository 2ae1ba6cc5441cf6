import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEverything, startEverything } from '../helpers/everything.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { type ConnectedClient, connectClient } from '../helpers/mcp-client.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { stdioServers } from '../helpers/stdio.js';
import { eventually } from '../store/postgres/write-support.js';

/**
 * A gateway whose store is PostgreSQL captures what it proxies (server-everything over HTTP and over
 * stdio, driven by the SDK client) into the database, and a PostgreSQL outage costs captures, never calls.
 */

let postgres: TestPostgres;
let everything: RunningEverything;

beforeAll(async () => {
  [postgres, everything] = await Promise.all([startPostgres(), startEverything()]);
}, 60_000);

afterAll(async () => {
  await everything?.stop();
  await postgres?.stop();
});

interface Status {
  capture: { captured: number; dropped: number; storeFailures: number; storeError: string | null };
}

async function status(gw: TestGateway): Promise<Status> {
  return (await (await gw.api('/api/status')).json()) as Status;
}

async function query<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

describe('a gateway on a PostgreSQL store', () => {
  let url: string;
  let gw: TestGateway;

  beforeAll(async () => {
    url = await postgres.createDatabase();
    gw = await startTestGateway({
      store: url,
      env: { MCP_GATEWAY_INSTANCE: 'team-gw-1' },
      servers: {
        remote: { type: 'http', url: everything.url },
        local: stdioServers.everything(),
      },
    });
  }, 60_000);

  afterAll(async () => {
    await gw?.stop();
  });

  it('stores what it proxies over HTTP and stdio: linked records under its instance, sessions, totals, tool lists', async () => {
    for (const server of ['remote', 'local']) {
      const client = await connectClient(gw.proxyUrl(server));
      try {
        expect((await client.client.listTools()).tools.some((tool) => tool.name === 'echo')).toBe(true);
        const echo = await client.client.callTool({ name: 'echo', arguments: { message: `hi ${server}` } });
        expect(echo.content).toEqual([{ type: 'text', text: `Echo: hi ${server}` }]);
      } finally {
        await client.close();
      }
    }
    const records = await gw.records();
    for (const server of ['remote', 'local']) {
      const mine = records.filter((r) => r.server === server);
      const request = mine.find((r) => r.method === 'tools/call' && r.kind === 'request');
      const answer = mine.find((r) => r.method === 'tools/call' && r.kind === 'response');
      expect(request?.message).toContain(`hi ${server}`);
      expect(answer?.partnerId).toBe(request?.id);
      expect(answer?.message).toContain(`Echo: hi ${server}`);
      expect(mine.find((r) => r.method === 'initialize' && r.kind === 'response')?.serverName).toBeTruthy();
    }
    // Free text finds what capture indexed for PostgreSQL, through the gateway's own API.
    const found = (await (
      await gw.api(`/api/logs?filter=${encodeURIComponent('"hi local" kind:response')}`)
    ).json()) as { data: { server: string; method: string }[] };
    expect(found.data).toMatchObject([{ server: 'local', method: 'tools/call' }]);
    const instances = await query<{ instance: string }>(url, 'SELECT DISTINCT instance FROM records');
    expect(instances).toEqual([{ instance: 'team-gw-1' }]);
    const sessions = await query<{ server: string; client_name: string }>(
      url,
      'SELECT server, client_name FROM sessions ORDER BY server',
    );
    expect(sessions).toEqual([
      { server: 'local', client_name: 'test-client' },
      { server: 'remote', client_name: 'test-client' },
    ]);
    const totals = await query<{ server: string; messages: number }>(
      url,
      "SELECT server, messages FROM method_totals WHERE method = 'tools/call' ORDER BY server",
    );
    expect(totals).toEqual([
      { server: 'local', messages: 2 },
      { server: 'remote', messages: 2 },
    ]);
    const lists = await query<{ server: string }>(url, 'SELECT server FROM tool_lists ORDER BY server');
    expect(lists).toEqual([{ server: 'local' }, { server: 'remote' }]);
    const { capture } = await status(gw);
    // Closing the clients' sessions may have added records since.
    expect(capture.captured).toBeGreaterThanOrEqual(records.length);
    expect(capture).toMatchObject({
      dropped: 0,
      storeFailures: 0,
      storeError: null,
    });
  }, 60_000);
});

describe('a PostgreSQL outage under traffic', () => {
  let gw: TestGateway;
  let client: ConnectedClient;

  beforeAll(async () => {
    gw = await startTestGateway({
      store: await postgres.createDatabase(),
      // A small capture queue, so that an outage fills it within the test.
      captureQueueMb: 0.25,
      servers: { remote: { type: 'http', url: everything.url } },
    });
    client = await connectClient(gw.proxyUrl('remote'));
  }, 60_000);

  afterAll(async () => {
    await client?.close();
    await gw?.stop();
  });

  /** An echo call with a payload of `size` characters; resolves with how long it took. */
  async function echo(n: number, size = 20_000): Promise<number> {
    const started = performance.now();
    const message = `${n}:${'x'.repeat(size)}`;
    const result = await client.client.callTool({ name: 'echo', arguments: { message } });
    expect(result.content).toEqual([{ type: 'text', text: `Echo: ${message}` }]);
    return performance.now() - started;
  }

  it('answers every call while PostgreSQL is stopped, counts the drops in /api/status, and captures again once it is back', async () => {
    for (let n = 0; n < 5; n++) await echo(n);
    await gw.gateway.flushCapture();
    expect((await status(gw)).capture).toMatchObject({ dropped: 0, storeError: null });

    // Stopped while calls are in flight: every one is answered.
    const during: Promise<number>[] = [];
    for (let n = 5; n < 15; n++) during.push(echo(n));
    await postgres.halt();
    try {
      for (let n = 15; n < 45; n++) during.push(echo(n));
      await Promise.all(during);
      // One at a time, with the database gone: each is answered at the proxy's pace. A connection attempt
      // that found no answer would alone take seconds (postgres/connection.ts), a retry's backoff up to 2.
      const times: number[] = [];
      for (let n = 45; n < 65; n++) times.push(await echo(n));
      times.sort((a, b) => a - b);
      expect(times[10]).toBeLessThan(250);
      expect(times.at(-1)).toBeLessThan(1500);
      await eventually(async () => {
        const { capture } = await status(gw);
        expect(capture.dropped).toBeGreaterThan(0);
        expect(capture.storeError).toMatch(/ECONNREFUSED|terminat|connect/i);
      }, 20_000);
      expect(gw.messages.join('\n')).toMatch(/cannot write capture to the PostgreSQL store/);
      const metrics = await (await gw.api('/metrics')).text();
      expect(metrics).toMatch(/^mcp_gateway_store_writable 0$/m);
      expect(metrics).toMatch(/^mcp_gateway_capture_dropped_total [1-9]/m);
    } finally {
      await postgres.resume();
    }

    await eventually(async () => expect((await status(gw)).capture.storeError).toBeNull(), 30_000);
    expect(await (await gw.api('/metrics')).text()).toMatch(/^mcp_gateway_store_writable 1$/m);
    await echo(1000, 10);
    const records = await gw.records((r) => r.method === 'tools/call' && r.message.includes('1000:x'));
    expect(records.map((r) => r.kind).sort()).toEqual(['request', 'response']);
    expect(gw.messages.join('\n')).toMatch(/PostgreSQL store answers again/);
  }, 120_000);
});
