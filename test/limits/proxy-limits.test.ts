import { describe, expect, it } from 'vitest';
import { LimitCounts } from '../../src/limits/limit-counts.js';
import { ProxyLimits } from '../../src/limits/proxy-limits.js';
import { SessionCaps } from '../../src/limits/session-caps.js';

const request = (id: number, method = 'tools/list') => ({ jsonrpc: '2.0', id, method });
const notification = { jsonrpc: '2.0', method: 'notifications/progress' };
const response = { jsonrpc: '2.0', id: 7, result: {} };

type Request = Parameters<ProxyLimits['admit']>[0];

/** The gate, with requests answered with `status` (200 unless given) the moment the gate lets them go. */
function gate(max = 64) {
  let now = 0;
  const counts = new LimitCounts();
  const proxy = new ProxyLimits(counts, new SessionCaps(max, counts, { now: () => now }), () => now);
  const limits = {
    admit(request: Request, status = 200) {
      const listeners: ((status: number) => void)[] = [];
      const refusal = proxy.admit(request, (listener) => listeners.push(listener));
      for (const listener of listeners) listener(refusal ? refusal.status : status);
      return refusal;
    },
    configure: proxy.configure.bind(proxy),
  };
  return { limits, counts, tick: (ms: number) => (now += ms) };
}

const post = (
  server: string,
  messages: unknown[],
  sessionId: string | null = 's1',
  client = '127.0.0.1',
) => ({
  server,
  client,
  httpMethod: 'POST',
  sessionId,
  messages,
});

describe('proxy limits', () => {
  it('limit requests only: notifications and responses to the server always go', () => {
    const { limits } = gate();
    limits.configure(new Map([['a', { rateLimit: { requests: 1, per: '1m' } }]]));
    expect(limits.admit(post('a', [request(1)]))).toBeNull();
    expect(limits.admit(post('a', [request(2)]))?.status).toBe(429);
    expect(limits.admit(post('a', [notification]))).toBeNull();
    expect(limits.admit(post('a', [response]))).toBeNull();
    expect(limits.admit(post('b', [request(3)]))).toBeNull();
  });

  it('charge a batch per request, and give a client back its share when the server limit refuses', () => {
    const { limits, counts } = gate();
    limits.configure(
      new Map([
        ['a', { rateLimit: { requests: 2, per: '1m' }, clientRateLimit: { requests: 3, per: '1m' } }],
      ]),
    );
    expect(limits.admit(post('a', [request(1), request(2), notification]))).toBeNull();
    expect(limits.admit(post('a', [request(3)]))?.message).toContain('from all clients together');
    expect(counts.snapshot()).toMatchObject({ serverRate: 1, clientRate: 0 });
    // The refused request did not use the client's own allowance: one request of three is left.
    limits.configure(new Map([['a', { clientRateLimit: { requests: 3, per: '1m' } }]]));
    expect(limits.admit(post('a', [request(4)]))).toBeNull();
  });

  it('keep their buckets across a reload that leaves the entry as it was', () => {
    const { limits } = gate();
    const entry = { rateLimit: { requests: 1, per: '1m' } };
    limits.configure(new Map([['a', entry]]));
    limits.admit(post('a', [request(1)]));
    limits.configure(new Map([['a', { rateLimit: { requests: 1, per: '1m' } }]]));
    expect(limits.admit(post('a', [request(2)]))?.status).toBe(429);
    limits.configure(new Map([['a', { rateLimit: { requests: 2, per: '1m' } }]]));
    expect(limits.admit(post('a', [request(3)]))).toBeNull();
  });

  it('count sessions per client from initialize to DELETE, 404 or idleness', () => {
    const { limits, tick } = gate(2);
    const initialize = [request(0, 'initialize')];
    expect(limits.admit(post('a', initialize, null))).toBeNull();
    expect(limits.admit(post('a', [notification], 'one'))).toBeNull();
    expect(limits.admit(post('b', initialize, null))).toBeNull();
    // The second initialize has not shown its session yet; it counts all the same.
    expect(limits.admit(post('a', initialize, null))?.message).toContain('Too many open MCP sessions');
    expect(limits.admit(post('a', initialize, null, '::ffff:10.0.0.2'))).toBeNull();
    // The server answers 404 for a session it no longer has: the client may open another.
    expect(limits.admit(post('a', [request(5)], 'one'), 404)).toBeNull();
    expect(limits.admit(post('a', initialize, null))).toBeNull();
    tick(31 * 60_000);
    expect(limits.admit(post('a', initialize, null))).toBeNull();
  });

  it('let an initialize the server refused (an OAuth challenge) and an accepted DELETE free the slot', () => {
    const { limits } = gate(1);
    const initialize = [request(0, 'initialize')];
    expect(limits.admit(post('a', initialize, null), 401)).toBeNull();
    expect(limits.admit(post('a', initialize, null))).toBeNull();
    expect(limits.admit(post('a', [notification], 'one'))).toBeNull();
    expect(limits.admit(post('a', initialize, null))?.status).toBe(429);
    expect(limits.admit({ ...post('a', [], 'one'), httpMethod: 'DELETE', messages: null }, 200)).toBeNull();
    expect(limits.admit(post('a', initialize, null))).toBeNull();
  });
});
