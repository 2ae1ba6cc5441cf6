import {
  Client as ModernClient,
  StreamableHTTPClientTransport as ModernTransport,
} from '@modelcontextprotocol/client';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { connectClient } from '../helpers/mcp-client.js';
import { stdioServers, v2StdioServer, waitFor, waitForState } from '../helpers/stdio.js';

describe('a stdio server writing a stack trace to stderr', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startTestGateway({ servers: { fixture: stdioServers.fixture() } });
    await waitForState(gw, 'fixture', 'running');
  });

  afterAll(async () => {
    await gw?.stop();
  });

  it('records the 14 lines written at once as one stderr record, without empty rows', async () => {
    const session = await connectClient(gw.proxyUrl('fixture'), 'bare', {});
    try {
      await session.client.callTool({ name: 'stack', arguments: {} });
      const sessionId = session.transport.sessionId;
      const logs = await waitFor('the stack trace record', async () => {
        const found = await gw.records((r) => r.sessionId === sessionId && r.kind === 'stderr');
        return found.length > 0 && found;
      });
      // Any late second record would show up meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const all = await gw.records((r) => r.sessionId === sessionId && r.kind === 'stderr');
      expect(all).toHaveLength(1);
      const [block] = logs;
      const lines = block?.message.split('\n') ?? [];
      expect(lines[0]).toBe('Error: connect ECONNREFUSED 127.0.0.1:5432');
      expect(lines.filter((l) => l.startsWith('    at step'))).toHaveLength(10);
      expect(lines.at(-1)).toBe('Node.js v20');
      // Written just before the call's answer, it comes before the answer on the timeline.
      const answer = await gw.records(
        (r) => r.sessionId === sessionId && r.method === 'tools/call' && r.kind === 'response',
      );
      expect(block?.id).toBeLessThan(answer[0]?.id as number);
      // The server's own stderr API still lists it line by line.
      const stderr = (await (await gw.api('/api/servers/fixture/stderr?limit=20')).json()) as {
        lines: { line: string }[];
      };
      expect(stderr.lines.map((l) => l.line)).toContain('    at step9 (/srv/app/db.js:19:5)');
    } finally {
      await session.close();
    }
  });
});

describe('stdio records carry the HTTP request of the client that spoke to the gateway', () => {
  let gw: TestGateway;
  const USER_AGENT = 'acme-agent/2.1 (stdio-front test)';

  beforeAll(async () => {
    gw = await startTestGateway({ servers: { everything: stdioServers.everything() } });
    await waitForState(gw, 'everything', 'running');
  });

  afterAll(async () => {
    await gw?.stop();
  });

  it('shows user agent, HTTP method and status on requests, notifications and responses', async () => {
    const client = new Client({ name: 'ua-client', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(gw.proxyUrl('everything')), {
      requestInit: { headers: { 'user-agent': USER_AGENT } },
    });
    await client.connect(transport);
    const sessionId = transport.sessionId;
    try {
      await client.callTool({ name: 'echo', arguments: { message: 'who is asking' } });
      const records = await waitFor('the echo call and its answer', async () => {
        const found = await gw.records((r) => r.sessionId === sessionId && r.transport === 'stdio');
        const answered = found.some((r) => r.method === 'tools/call' && r.kind === 'response');
        return answered && found;
      });
      const call = records.find((r) => r.method === 'tools/call' && r.kind === 'request');
      const answer = records.find((r) => r.method === 'tools/call' && r.kind === 'response');
      const initialized = records.find((r) => r.method === 'notifications/initialized');
      expect(call).toMatchObject({ userAgent: USER_AGENT, httpMethod: 'POST', httpStatus: 200 });
      expect(answer).toMatchObject({ userAgent: USER_AGENT, httpMethod: 'POST', httpStatus: 200 });
      // A POST of notifications only is answered 202 Accepted.
      expect(initialized).toMatchObject({ userAgent: USER_AGENT, httpMethod: 'POST', httpStatus: 202 });
      // The same over the REST API, as the UI reads it.
      const response = await gw.api(`/api/logs?session=${sessionId}&method=tools/call&limit=10`);
      const page = (await response.json()) as { data: unknown[] };
      expect(page.data).toHaveLength(2);
      for (const record of page.data) {
        expect(record).toMatchObject({ userAgent: USER_AGENT, http: { method: 'POST', status: 200 } });
      }
    } finally {
      await transport.terminateSession().catch(() => {});
      await client.close();
    }
  });
});

describe('a 2026-07-28 client of a stdio server', () => {
  let gw: TestGateway;
  const USER_AGENT = 'modern-agent/3.0';

  beforeAll(async () => {
    gw = await startTestGateway({ servers: { modern: v2StdioServer('reject') } });
  });

  afterAll(async () => {
    await gw?.stop();
  });

  it('has its user agent and each POST status on its records, though it has no session', async () => {
    const client = new ModernClient(
      { name: 'modern-ua', version: '3.0.0' },
      { capabilities: {}, versionNegotiation: { mode: { pin: '2026-07-28' } } },
    );
    await client.connect(
      new ModernTransport(new URL(gw.proxyUrl('modern')), {
        requestInit: { headers: { 'user-agent': USER_AGENT } },
      }),
    );
    try {
      await client.callTool({ name: 'echo', arguments: { message: 'modern' } });
    } finally {
      await client.close();
    }
    const records = await waitFor('the call and its answer', async () => {
      const found = await gw.records((r) => r.server === 'modern' && r.method === 'tools/call');
      return found.length >= 2 && found;
    });
    for (const record of records) {
      expect(record).toMatchObject({ userAgent: USER_AGENT, httpMethod: 'POST', httpStatus: 200 });
    }
  });
});
