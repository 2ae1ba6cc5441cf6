import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewRecord } from '../../src/core/record.js';
import { parseFilter } from '../../src/filter/parser.js';
import { makeRecord, openTestStore, type TestStore } from '../helpers/records.js';

const NOW = new Date(2025, 4, 1, 12, 0, 0).getTime();
const minutesAgo = (m: number) => NOW - m * 60_000;

/** A small, varied capture; each record is named by its key so expectations read like prose. */
const FIXTURE: Record<string, Partial<NewRecord>> = {
  init: {
    method: 'initialize',
    summary: 'initialize claude 1.0',
    time: minutesAgo(120),
    clientName: 'claude-code',
  },
  call: {
    method: 'tools/call',
    summary: 'get_weather(city: Paris)',
    message: JSON.stringify({
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'get_weather', arguments: { city: 'Paris' } },
    }),
    time: minutesAgo(30),
    tokens: 40,
    jsonrpcId: 2,
  },
  result: {
    kind: 'response',
    direction: 'server_to_client',
    method: 'tools/call',
    summary: 'Sunny, 21°C in Paris',
    message: JSON.stringify({
      jsonrpc: '2.0',
      id: 2,
      result: { content: [{ type: 'text', text: 'Sunny, 21°C in Paris' }] },
    }),
    durationMs: 850,
    time: minutesAgo(29),
    tokens: 1500,
    jsonrpcId: 2,
    transport: 'http-sse',
  },
  failure: {
    kind: 'error',
    direction: 'server_to_client',
    method: 'tools/call',
    summary: 'error -32602: Unknown tool: nope',
    errorCode: -32602,
    errorMessage: 'Unknown tool: nope',
    message: JSON.stringify({
      jsonrpc: '2.0',
      id: 3,
      error: { code: -32602, message: 'Unknown tool: nope' },
    }),
    durationMs: 12,
    time: minutesAgo(10),
  },
  toolError: {
    kind: 'response',
    direction: 'server_to_client',
    method: 'tools/call',
    summary: 'tool error: rate limited',
    errorMessage: 'rate limited',
    durationMs: 3000,
    time: minutesAgo(5),
  },
  http500: {
    method: 'tools/list',
    httpStatus: 500,
    time: minutesAgo(4),
    server: 'beta',
    sessionId: 'session-2',
  },
  stderr: {
    kind: 'stderr',
    direction: 'server_to_client',
    method: null,
    transport: 'stdio',
    summary: 'Listening on stdio :: ready',
    message: 'Listening on stdio :: ready',
    jsonrpcId: undefined,
    server: 'gamma',
    sessionId: null,
    clientName: null,
    time: minutesAgo(1),
  },
  note: {
    kind: 'other',
    method: null,
    note: 'answered by the gateway',
    summary: 'http://example.com/mcp returned 404',
    message: 'see http://example.com/mcp',
    jsonrpcId: undefined,
    time: minutesAgo(2),
    server: 'beta',
    sessionId: 'session-2',
    httpStatus: 404,
    clientName: 'cursor',
  },
  stringId: {
    method: 'ping',
    jsonrpcId: '7',
    time: minutesAgo(3),
    message: '{"jsonrpc":"2.0","id":"7","method":"ping"}',
  },
};

describe('compiled filters select the records they describe', () => {
  let t: TestStore;
  const names = new Map<number, string>();

  beforeAll(() => {
    t = openTestStore();
    const keys = Object.keys(FIXTURE);
    const ids = t.write(keys.map((key) => makeRecord(FIXTURE[key])));
    for (const [i, id] of ids.entries()) names.set(id, keys[i] as string);
  });
  afterAll(() => t.close());

  const select = (filter: string) =>
    t.store
      .list({ filter: parseFilter(filter), limit: 100, order: 'asc', now: NOW })
      .records.map((r) => names.get(r.id))
      .sort();

  it.each([
    ['', Object.keys(FIXTURE)],
    ['method:tools/call', ['call', 'failure', 'result', 'toolError']],
    ['method:tools/*', ['call', 'failure', 'http500', 'result', 'toolError']],
    ['method:initialize,tools/list', ['http500', 'init']],
    ['-method:tools/call', ['http500', 'init', 'note', 'stderr', 'stringId']],
    ['method!=tools/call', ['http500', 'init', 'note', 'stderr', 'stringId']],
    ['kind:error', ['failure']],
    ['has:error', ['failure', 'http500', 'note', 'toolError']],
    ['-has:error kind:response', ['result']],
    ['status:5xx', ['http500']],
    ['status>=400', ['http500', 'note']],
    ['code:-32602', ['failure']],
    ['error~unknown', ['failure']],
    ['duration>500', ['result', 'toolError']],
    ['duration>=1s', ['toolError']],
    ['tokens>100', ['result']],
    ['server:beta', ['http500', 'note']],
    ['-server:alpha', ['http500', 'note', 'stderr']],
    ['session:session-2', ['http500', 'note']],
    ['-has:session', ['stderr']],
    ['client:claude-code', ['init']],
    ['client~CURS', ['note']],
    ['direction:s2c kind:response', ['result', 'toolError']],
    ['transport:http-sse', ['result']],
    ['last:15m', ['failure', 'http500', 'note', 'stderr', 'stringId', 'toolError']],
    ['after:30m before:5m', ['call', 'failure', 'result']],
    ['time<60m', ['init']],
    ['rpcid:7', ['stringId']],
    ['rpcid:2', ['call', 'result']],
    ['note~gateway', ['note']],
    ['Paris', ['call', 'result']],
    ['paris sunny', ['result']],
    ['"get_weather"', ['call']],
    ['get_weather', ['call']],
    ['weath*', ['call']],
    ['-paris method:tools/call', ['failure', 'toolError']],
    ['-paris', ['failure', 'http500', 'init', 'note', 'stderr', 'stringId', 'toolError']],
    ['"unknown tool: nope"', ['failure']],
    ['::', ['stderr']],
    ['-:: kind:stderr', []],
    ['http://example.com/mcp', ['note']],
    ['21°C', ['result']],
    ['"\\"quoted\\"" OR', null],
  ])('%j', (filter, expected) => {
    if (expected === null) {
      expect(() => select(filter)).toThrow();
      return;
    }
    expect(select(filter)).toEqual([...expected].sort());
  });
});
