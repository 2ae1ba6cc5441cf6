import { describe, expect, it } from 'vitest';
import { apiJson } from '../helpers/api-json.js';
import { everythingBehindGateway } from '../helpers/everything-gateway.js';

const DEPTH = 100_000;

/** `{"a":{"a":...{"a":1}...}}`, `depth` levels deep, as text (building it as a value would need recursion). */
function deepJson(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

const ACCEPT = 'application/json, text/event-stream';

async function post(url: string, body: string, sessionId?: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: ACCEPT,
      'mcp-protocol-version': '2025-06-18',
      ...(sessionId ? { 'mcp-session-id': sessionId } : {}),
    },
    body,
  });
}

/**
 * A tools/call whose arguments nest 100,000 levels deep is valid JSON-RPC. The gateway forwards it as it
 * does any message, and capture, the API, search and exports keep working: every stored record stays
 * readable.
 */
describe('a message nested 100,000 levels deep', () => {
  const ctx = everythingBehindGateway();

  it('is forwarded, captured, listed by GET /api/logs and included in the export', async () => {
    const url = ctx.gw.proxyUrl('everything');
    const init = await post(
      url,
      JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-06-18',
          capabilities: {},
          clientInfo: { name: 'deep', version: '1' },
        },
      }),
    );
    expect(init.status).toBe(200);
    const sessionId = init.headers.get('mcp-session-id') as string;
    await init.text();
    await (await post(url, '{"jsonrpc":"2.0","method":"notifications/initialized"}', sessionId)).text();

    const call = `{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"message":"deep one","password":"hunter2-hunter2","nested":${deepJson(DEPTH)}}}}`;
    const answer = await post(url, call, sessionId);
    // Forwarded: the server's own answer (whatever it makes of the arguments) comes back.
    expect(answer.status).toBe(200);
    expect(await answer.text()).toContain('"id":2');

    await ctx.gw.gateway.flushCapture();
    const logs = await apiJson<{ data: { id: number; kind: string; method: string; message: unknown }[] }>(
      ctx.gw,
      `/api/logs?filter=${encodeURIComponent(`session:${sessionId}`)}`,
    );
    const request = logs.data.find((r) => r.kind === 'request' && r.method === 'tools/call');
    expect(request).toBeDefined();
    // Too deep to hand out parsed: it comes as its text, redacted, with every level still in it.
    expect(typeof request?.message).toBe('string');
    const text = request?.message as string;
    expect(text).toContain('"password":"[REDACTED:password]"');
    expect(text).not.toContain('hunter2');
    expect(text.length).toBeGreaterThan(DEPTH * 5);

    const one = await apiJson<{ id: number; summary: string }>(ctx.gw, `/api/logs/${request?.id}`);
    expect(one.summary).toContain('echo(message: deep one');

    const exported = await (
      await ctx.gw.api(`/api/logs/export?filter=${encodeURIComponent(`session:${sessionId}`)}`)
    ).text();
    const ids = exported
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { id: number }).id);
    expect(ids).toContain(request?.id);

    // Searching still works, and finds the deep record by its text.
    const found = await apiJson<{ data: { id: number }[] }>(
      ctx.gw,
      `/api/logs?filter=${encodeURIComponent('"deep one"')}`,
    );
    expect(found.data.map((r) => r.id)).toContain(request?.id);

    // The list stays readable afterwards, for good.
    const after = await ctx.gw.api('/api/logs');
    expect(after.status).toBe(200);
  });
});
