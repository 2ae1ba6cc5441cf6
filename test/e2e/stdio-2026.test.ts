import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { connectClient, HOST_WITHOUT_ROOTS } from '../helpers/mcp-client.js';
import { serverStatus, stdioServers, v2StdioServer, waitFor } from '../helpers/stdio.js';

const MODERN = '2026-07-28';

/** An SDK v2 client pinned to MCP 2026-07-28 that confirms every elicitation (MRTR rounds). */
function modernClient(name = 'modern-app'): Client {
  const client = new Client(
    { name, version: '3.0.0' },
    { capabilities: { elicitation: { form: {} } }, versionNegotiation: { mode: { pin: MODERN } } },
  );
  client.setRequestHandler('elicitation/create', async () => ({
    action: 'accept',
    content: { confirm: true },
  }));
  return client;
}

async function viaGateway(gw: TestGateway, name: string, client = modernClient()): Promise<Client> {
  await client.connect(new StreamableHTTPClientTransport(new URL(gw.proxyUrl(name))));
  return client;
}

async function direct(legacy: 'reject' | 'serve'): Promise<Client> {
  const { command, args } = v2StdioServer(legacy);
  const client = modernClient();
  await client.connect(new StdioClientTransport({ command, args, stderr: 'pipe' }));
  return client;
}

function text(result: unknown): string {
  return (result as { content: { text: string }[] }).content[0]?.text ?? '';
}

describe.each(['shared', 'isolated'] as const)('a 2026-only stdio server in %s mode', (mode) => {
  let gw: TestGateway;
  let straight: Client;

  beforeAll(async () => {
    gw = await startTestGateway({ servers: { modern: v2StdioServer('reject', { sessionMode: mode }) } });
    straight = await direct('reject');
  });

  afterAll(async () => {
    await straight?.close();
    await gw?.stop();
  });

  it('serves a client pinned to 2026-07-28: discover, tools/list, tools/call and MRTR equal direct', async () => {
    const client = await viaGateway(gw, 'modern');
    try {
      expect(client.getNegotiatedProtocolVersion()).toBe(MODERN);
      expect(client.getServerVersion()).toEqual(straight.getServerVersion());
      expect(await client.discover()).toEqual(await straight.discover());
      expect(await client.listTools()).toEqual(await straight.listTools());
      const echo = await client.callTool({ name: 'echo', arguments: { message: 'héllo' } });
      expect(echo).toEqual(await straight.callTool({ name: 'echo', arguments: { message: 'héllo' } }));
      expect(text(echo)).toBe('Echo: héllo');
      // A multi-round-trip call: input_required, then the retry with a new id and inputResponses.
      const deploy = await client.callTool({ name: 'deploy', arguments: { env: 'prod' } });
      expect(text(deploy)).toBe('deployed to prod');
    } finally {
      await client.close();
    }
    const records = await waitFor('the MRTR rounds recorded', async () => {
      const all = await gw.records((r) => r.server === 'modern' && r.method === 'tools/call');
      return all.length >= 4 ? all : undefined;
    });
    // One client's requests are one conversation on the timeline, though no session went over the wire.
    const conversations = new Set(records.map((r) => r.sessionId));
    expect(conversations.size).toBe(1);
    expect([...conversations][0]).toEqual(expect.any(String));
    const bodies = records.map((r) => r.message);
    expect(bodies.some((b) => b.includes('"resultType":"input_required"'))).toBe(true);
    expect(
      bodies.some((b) => b.includes('inputResponses') && b.includes('io.modelcontextprotocol/clientInfo')),
    ).toBe(true);
  });

  it('answers GET and DELETE of a 2026 client with 405, as the 2026 transport requires', async () => {
    for (const method of ['GET', 'DELETE']) {
      const response = await fetch(gw.proxyUrl('modern'), {
        method,
        headers: { 'mcp-protocol-version': MODERN, accept: 'text/event-stream, application/json' },
      });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
      const body = (await response.json()) as { error: { message: string } };
      expect(body.error.message).toContain('subscriptions/listen');
    }
  });

  it("delivers list_changed on the subscriptions/listen stream that asked for it, under the client's own id", async () => {
    const client = await viaGateway(gw, 'modern', modernClient('watcher'));
    const changed: unknown[] = [];
    client.setNotificationHandler('notifications/tools/list_changed', (notification) => {
      changed.push(notification);
    });
    try {
      const subscription = await client.listen({ toolsListChanged: true });
      expect(text(await client.callTool({ name: 'grow', arguments: { name: 'extra' } }))).toBe('added extra');
      await waitFor('tools/list_changed on the listen stream', () => changed.length > 0);
      expect((await client.listTools()).tools.map((t) => t.name)).toContain('extra');
      await subscription.close();
    } finally {
      await client.close();
    }
    const delivered = await gw.records(
      (r) => r.server === 'modern' && r.method === 'notifications/tools/list_changed',
    );
    // The client sees its own listen id in _meta, whatever id the server saw.
    expect(
      delivered.some((r) => r.message.includes('"io.modelcontextprotocol/subscriptionId":"listen:')),
    ).toBe(true);
  });

  it('records a client ending its subscriptions/listen stream as a normal end', async () => {
    const client = await viaGateway(gw, 'modern', modernClient('listener'));
    const subscription = await client.listen({ toolsListChanged: true });
    await subscription.close();
    await client.close();
    const notes = await waitFor('the end of the subscription recorded', async () => {
      const all = await gw.records((r) => r.server === 'modern');
      const texts = all.map((r) => `${r.summary} ${r.note ?? ''} ${r.errorMessage ?? ''}`);
      return texts.some((t) => t.includes('ended its subscription')) ? texts : undefined;
    });
    expect(notes.join('\n')).not.toMatch(/disconnected before the response|cut short/);
  });
});

describe('a 2026-only stdio server in shared mode, asked by a 2025 client', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startTestGateway({ servers: { modern: v2StdioServer('reject') } });
  });

  afterAll(async () => {
    await gw?.stop();
  });

  it('runs without a restart loop, and tells the 2025 client the server speaks only 2026-07-28', async () => {
    await waitFor('the server running', async () => (await serverStatus(gw, 'modern')).state === 'running');
    await expect(connectClient(gw.proxyUrl('modern'), 'old-app', HOST_WITHOUT_ROOTS)).rejects.toThrow(
      /speaks only MCP 2026-07-28/,
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const status = await serverStatus(gw, 'modern');
    expect(status.state).toBe('running');
    expect(status.restarts ?? 0).toBe(0);
    expect(status.protocol).toMatch(/^MCP 2026-07-28 only: it refused initialize/);
    const records = await gw.records((r) => r.server === 'modern');
    expect(records.map((r) => `${r.summary} ${r.message}`).join('\n')).toMatch(
      /process \d+ speaks MCP 2026-07-28 only: it refused initialize/,
    );
  });
});

describe.each(['shared', 'isolated'] as const)('a dual-era stdio server in %s mode', (mode) => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startTestGateway({ servers: { dual: v2StdioServer('serve', { sessionMode: mode }) } });
  });

  afterAll(async () => {
    await gw?.stop();
  });

  it('gives an SDK v2 client in auto mode 2026-07-28, not a silent downgrade to 2025', async () => {
    const client = new Client(
      { name: 'auto-app', version: '1.0.0' },
      { versionNegotiation: { mode: 'auto' } },
    );
    await client.connect(new StreamableHTTPClientTransport(new URL(gw.proxyUrl('dual'))));
    try {
      expect(client.getNegotiatedProtocolVersion()).toBe(MODERN);
    } finally {
      await client.close();
    }
  });

  it('serves a 2025 client (SDK v1) and a 2026 client (SDK v2) side by side', async () => {
    const old = await connectClient(gw.proxyUrl('dual'), 'old-app', HOST_WITHOUT_ROOTS);
    const modern = await viaGateway(gw, 'dual');
    try {
      expect(modern.getNegotiatedProtocolVersion()).toBe(MODERN);
      expect(old.client.getServerVersion()?.name).toBe('v2-stdio-fixture');
      const [a, b] = await Promise.all([
        old.client.callTool({ name: 'echo', arguments: { message: 'from 2025' } }),
        modern.callTool({ name: 'echo', arguments: { message: 'from 2026' } }),
      ]);
      expect(text(a)).toBe('Echo: from 2025');
      expect(text(b)).toBe('Echo: from 2026');
      expect((await modern.listTools()).tools.map((t) => t.name)).toEqual(
        (await old.client.listTools()).tools.map((t) => t.name),
      );
    } finally {
      await old.close();
      await modern.close();
    }
  });
});

describe('a 2025-only stdio server asked by a client pinned to 2026-07-28', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startTestGateway({ servers: { everything: stdioServers.everything() } });
  });

  afterAll(async () => {
    await gw?.stop();
  });

  it('lets an SDK v2 client in auto mode fall back to 2025 on its own', async () => {
    const client = new Client(
      { name: 'auto-app', version: '1.0.0' },
      { versionNegotiation: { mode: 'auto' } },
    );
    await client.connect(new StreamableHTTPClientTransport(new URL(gw.proxyUrl('everything'))));
    try {
      expect(client.getNegotiatedProtocolVersion()).toMatch(/^2025-/);
      expect(text(await client.callTool({ name: 'echo', arguments: { message: 'auto' } }))).toBe(
        'Echo: auto',
      );
    } finally {
      await client.close();
    }
  });

  it('refuses the 2026 client with a clear error, once, and keeps serving 2025 clients', async () => {
    await expect(viaGateway(gw, 'everything')).rejects.toThrow(/did not offer pinned protocol version/);
    const response = await fetch(gw.proxyUrl('everything'), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': MODERN,
        'mcp-method': 'server/discover',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'server/discover',
        params: { _meta: { 'io.modelcontextprotocol/protocolVersion': MODERN } },
      }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { id: number; error: { code: number; message: string } };
    expect(body.id).toBe(1);
    expect(body.error.code).toBe(-32022);
    expect(body.error.message).toMatch(/does not speak MCP 2026-07-28: it refused server\/discover/);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const status = await serverStatus(gw, 'everything');
    expect(status.state).toBe('running');
    expect(status.protocol).toMatch(/^MCP 2025-/);
    const modernProcess = status.profiles?.find((p) => p.state !== 'running');
    expect(modernProcess?.pid).toBeUndefined();
    const old = await connectClient(gw.proxyUrl('everything'), 'old-app', HOST_WITHOUT_ROOTS);
    try {
      expect(text(await old.client.callTool({ name: 'echo', arguments: { message: 'still here' } }))).toBe(
        'Echo: still here',
      );
    } finally {
      await old.close();
    }
    const records = await gw.records((r) => r.server === 'everything');
    expect(records.filter((r) => r.message.includes('crashed')).length).toBeLessThanOrEqual(1);
  });
});

describe('a 2026-only stdio server in isolated mode, asked by a 2025 client', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startTestGateway({
      servers: { modern: v2StdioServer('reject', { sessionMode: 'isolated' }) },
    });
  });

  afterAll(async () => {
    await gw?.stop();
  });

  it("passes on the server's own refusal (-32022) and ends that session and its process", async () => {
    await expect(connectClient(gw.proxyUrl('modern'), 'old-app', HOST_WITHOUT_ROOTS)).rejects.toThrow(
      /-32022: Unsupported protocol version: 2025-11-25/,
    );
    await waitFor('the refused session ended', async () => (await serverStatus(gw, 'modern')).sessions === 0);
  });
});
