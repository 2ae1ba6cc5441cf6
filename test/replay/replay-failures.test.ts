import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/core/errors.js';
import { replayRecord } from '../../src/replay/replay.js';
import { asyncStore } from '../../src/store/async-store.js';
import { makeRecord, openTestStore, type TestStore } from '../helpers/records.js';

const CAPABILITIES = { sampling: {}, elicitation: { form: {} } };

interface Sent {
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A fetch standing in for the gateway's own proxy: answers initialize, then `call` for the request. */
function proxy(call: (signal: AbortSignal) => Promise<Response>, sent: Sent[]): typeof fetch {
  return (async (_url: string, init: RequestInit) => {
    const body = init.body ? JSON.parse(String(init.body)) : null;
    sent.push({ method: init.method ?? 'GET', headers: init.headers as Record<string, string>, body });
    if (init.method === 'DELETE') return new Response(null, { status: 200 });
    if (body?.method === 'initialize') {
      return Response.json(
        {
          jsonrpc: '2.0',
          id: 0,
          result: {
            protocolVersion: '2025-06-18',
            capabilities: {},
            serverInfo: { name: 's', version: '1' },
          },
        },
        { headers: { 'mcp-session-id': 'replay-session' } },
      );
    }
    if (body?.method === 'notifications/initialized') return new Response(null, { status: 202 });
    return call(init.signal as AbortSignal);
  }) as unknown as typeof fetch;
}

describe('replay failures and the handshake it copies', () => {
  let t: TestStore;
  let callId: number;

  beforeEach(() => {
    t = openTestStore();
    const initialize = JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        capabilities: CAPABILITIES,
        clientInfo: { name: 'app', version: '1' },
      },
    });
    const call = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'echo', arguments: {} },
    });
    [, callId] = t.write([
      makeRecord({ method: 'initialize', jsonrpcId: 0, message: initialize }),
      makeRecord({ method: 'tools/call', message: call }),
    ]) as [number, number];
  });
  afterEach(() => t.close());

  const deps = (fake: typeof fetch, timeoutMs = 5_000) => ({
    store: asyncStore(t.store),
    proxyUrl: (name: string) => `http://gateway.test/s/${name}/mcp`,
    fetch: fake,
    flushCapture: async () => {},
    timeoutMs,
  });

  it('initializes with the original client’s version and capabilities, then ends its session', async () => {
    const sent: Sent[] = [];
    const answer = () => Promise.resolve(Response.json({ jsonrpc: '2.0', id: 1, result: { content: [] } }));
    const outcome = await replayRecord(deps(proxy(answer, sent)), callId);
    expect(sent[0]?.body).toMatchObject({
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        capabilities: CAPABILITIES,
        clientInfo: { name: 'mcp-gateway replay' },
      },
    });
    expect(sent.map((s) => s.method)).toEqual(['POST', 'POST', 'POST', 'DELETE']);
    expect(sent[2]?.headers['x-mcp-gateway-replay']).toMatch(new RegExp(`^${callId}\\.`));
    expect(sent[3]?.headers['mcp-session-id']).toBe('replay-session');
    expect(outcome.session).toMatchObject({
      mode: 'new',
      id: 'replay-session',
      protocolVersion: '2025-06-18',
    });
  });

  it('answers 504, with what to do, when the server does not answer in time (and still ends the session)', async () => {
    const sent: Sent[] = [];
    const never = (signal: AbortSignal) =>
      new Promise<Response>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    const error = await replayRecord(deps(proxy(never, sent), 200), callId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).status).toBe(504);
    expect((error as GatewayError).message).toMatch(/did not answer the replay within 0.2 s.*replay again/);
    expect(sent.at(-1)?.method).toBe('DELETE');
  });

  it('answers 502 with the gateway’s words when the server cannot be reached', async () => {
    const down = () =>
      Promise.resolve(
        Response.json(
          {
            jsonrpc: '2.0',
            id: 1,
            error: { code: -32000, message: 'Upstream server "alpha" is unreachable' },
          },
          { status: 502 },
        ),
      );
    const error = (await replayRecord(deps(proxy(down, [])), callId).catch(
      (e: unknown) => e,
    )) as GatewayError;
    expect(error.status).toBe(502);
    expect(error.message).toContain('Upstream server "alpha" is unreachable');
  });
});
