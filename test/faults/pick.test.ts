import { describe, expect, it } from 'vitest';
import { parseFaultInput } from '../../src/faults/parse-rule.js';
import { pickFault } from '../../src/faults/pick.js';
import { seededRandom } from '../../src/faults/random.js';
import { FaultRules } from '../../src/faults/rules.js';
import type { MatchFacts } from '../../src/filter/match.js';

const OWNER = { actor: 'owner', servers: null };

function facts(over: Partial<MatchFacts> & { value: unknown }): MatchFacts {
  return {
    server: 'everything',
    direction: 'client_to_server',
    kind: 'request',
    method: 'tools/call',
    jsonrpcId: 1,
    sessionId: 's1',
    clientName: 'agent',
    protocolVersion: '2025-11-25',
    transport: null,
    httpStatus: null,
    errorCode: null,
    errorMessage: null,
    size: 10,
    summary: '',
    note: null,
    userAgent: null,
    tokens: null,
    truncated: false,
    message: JSON.stringify(over.value),
    ...over,
  };
}

const echo = (id: number) =>
  facts({ value: { jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'echo', arguments: {} } } });
const echoAnswer = facts({
  direction: 'server_to_client',
  kind: 'response',
  value: { jsonrpc: '2.0', id: 1, result: { content: [] } },
});

function armed(...bodies: Record<string, unknown>[]): FaultRules {
  const rules = new FaultRules();
  for (const body of bodies) rules.add(parseFaultInput(body), OWNER);
  return rules;
}

describe('which fault rule hits a message', () => {
  it('hits what the filter matches, tool included, and nothing else', () => {
    const rules = armed({ filter: 'method:tools/call tool:echo', delayMs: 10 });
    expect(pickFault(rules.all(), echo(1), Math.random, Date.now())?.id).toBe('f1');
    const other = facts({
      value: { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'add', arguments: {} } },
    });
    expect(pickFault(rules.all(), other, Math.random, Date.now())).toBeNull();
  });

  it("answers only requests in the other party's place, and cuts streams only on the way back", () => {
    const error = armed({ filter: 'method:tools/call', error: { code: -32603, message: 'boom' } });
    expect(pickFault(error.all(), echo(1), Math.random, 0)?.id).toBe('f1');
    // The response carries the method too, but a response cannot be answered.
    expect(pickFault(error.all(), echoAnswer, Math.random, 0)).toBeNull();
    const stream = armed({ filter: 'method:tools/call', cut: 'stream' });
    expect(pickFault(stream.all(), echo(1), Math.random, 0)).toBeNull();
    expect(pickFault(stream.all(), echoAnswer, Math.random, 0)?.id).toBe('f1');
    const way = armed({ filter: 'method:tools/call', delayMs: 5, direction: 'server_to_client' });
    expect(pickFault(way.all(), echo(1), Math.random, 0)).toBeNull();
    expect(pickFault(way.all(), echoAnswer, Math.random, 0)?.id).toBe('f1');
  });

  it('keeps a scoped rule to its servers', () => {
    const rules = new FaultRules();
    rules.add(parseFaultInput({ filter: '*', delayMs: 5 }), { actor: 'beta-op', servers: ['beta'] });
    expect(pickFault(rules.all(), echo(1), Math.random, 0)).toBeNull();
    expect(pickFault(rules.all(), { ...echo(1), server: 'beta' }, Math.random, 0)?.id).toBe('f1');
  });

  it('never fires at probability 0 and always at 1, whatever the random source says', () => {
    const never = armed({ filter: '*', delayMs: 5, probability: 0 });
    const always = armed({ filter: '*', delayMs: 5, probability: 1 });
    for (const draw of [0, 0.5, 0.999999]) {
      expect(pickFault(never.all(), echo(1), () => draw, 0)).toBeNull();
      expect(pickFault(always.all(), echo(1), () => draw, 0)?.id).toBe('f1');
    }
  });

  it('hits about the share of messages its probability says, the same ones for the same seed', () => {
    const rules = armed({ filter: '*', delayMs: 5, probability: 0.3 });
    const run = (seed: number) => {
      const random = seededRandom(seed);
      return Array.from({ length: 1000 }, (_, i) => pickFault(rules.all(), echo(i), random, 0) !== null);
    };
    const hits = run(42).filter(Boolean).length;
    expect(hits).toBeGreaterThan(240);
    expect(hits).toBeLessThan(360);
    expect(run(42)).toEqual(run(42));
    expect(run(42)).not.toEqual(run(7));
  });

  it('lets the first rule that hits win, in the order they were added', () => {
    const rules = armed(
      { filter: 'tool:echo', delayMs: 5, probability: 0 },
      { filter: 'tool:echo', httpStatus: 503 },
      { filter: '*', cut: 'connection' },
    );
    expect(pickFault(rules.all(), echo(1), Math.random, 0)?.id).toBe('f2');
  });
});
