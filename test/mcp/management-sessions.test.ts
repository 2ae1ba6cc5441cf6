import { afterEach, describe, expect, it } from 'vitest';
import { OWNER } from '../../src/auth/identity.js';
import { type McpRouteDeps, mcpRoutes } from '../../src/mcp/route.js';
import { ManagementSessions } from '../../src/mcp/sessions.js';

const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

function initialize(elicitation = false): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: {
      protocolVersion: '2025-11-25',
      capabilities: elicitation ? { elicitation: { form: {} } } : {},
      clientInfo: { name: 'sessions-test', version: '1.0.0' },
    },
  });
}

/** Session handling alone: no tool is called, so the management server needs no registry or store. */
describe('management MCP server sessions', () => {
  let sessions: ManagementSessions;
  const deps = { authenticate: () => ({ ...OWNER, via: 'token' }) } as unknown as McpRouteDeps;
  afterEach(() => sessions?.closeAll());

  const open = async (app: ReturnType<typeof mcpRoutes>, elicitation = false) => {
    const response = await app.request('/gateway/mcp', {
      method: 'POST',
      headers: HEADERS,
      body: initialize(elicitation),
    });
    expect(response.status).toBe(200);
    return {
      id: response.headers.get('mcp-session-id') as string,
      type: response.headers.get('content-type'),
    };
  };
  const ping = (app: ReturnType<typeof mcpRoutes>, id: string) =>
    app.request('/g/mcp', {
      method: 'POST',
      headers: { ...HEADERS, 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' }),
    });

  it('answers in JSON unless the client can be asked something, which needs SSE', async () => {
    sessions = new ManagementSessions({ idleMs: 60_000, max: 4 });
    const app = mcpRoutes(deps, sessions);
    expect((await open(app)).type).toContain('application/json');
    expect((await open(app, true)).type).toContain('text/event-stream');
  });

  it('keeps at most `max` sessions, ending the least recently active', async () => {
    sessions = new ManagementSessions({ idleMs: 60_000, max: 2 });
    const app = mcpRoutes(deps, sessions);
    const first = await open(app);
    const second = await open(app);
    expect((await ping(app, first.id)).status).toBe(200);
    await open(app);
    expect(sessions.size).toBe(2);
    expect((await ping(app, second.id)).status).toBe(404);
    expect((await ping(app, first.id)).status).toBe(200);
  });

  it('ends idle sessions', async () => {
    sessions = new ManagementSessions({ idleMs: 50, max: 4 });
    const app = mcpRoutes(deps, sessions);
    const { id } = await open(app);
    await new Promise((resolve) => setTimeout(resolve, 250));
    const response = await ping(app, id);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      error: { message: expect.stringContaining('initialize') },
    });
  });

  it('refuses a body over 1 MB with 413 in JSON-RPC, before reading it', async () => {
    sessions = new ManagementSessions({ idleMs: 60_000, max: 4 });
    const app = mcpRoutes(deps, sessions);
    const big = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'ping',
      params: { pad: 'x'.repeat(2_000_000) },
    });
    const response = await app.request('/gateway/mcp', { method: 'POST', headers: HEADERS, body: big });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({
      jsonrpc: '2.0',
      error: { message: expect.stringContaining('1 MB') },
    });
  });
});
