import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CapturedRecord, NewRecord } from '../../src/core/record.js';
import { FIELDS } from '../../src/filter/fields.js';
import { inFlightProblem, matchFilter, recordFacts } from '../../src/filter/match.js';
import { parseFilter } from '../../src/filter/parser.js';
import { makeRecord, openTestStore, type TestStore } from '../helpers/records.js';

const NOW = new Date(2025, 4, 1, 12, 0, 0).getTime();
const minutesAgo = (m: number) => NOW - m * 60_000;
const rpc = (value: object) => JSON.stringify({ jsonrpc: '2.0', ...value });

/** Records that give most documented examples something to find and something to leave out. */
const FIXTURE: Partial<NewRecord>[] = [
  {
    method: 'initialize',
    summary: 'initialize claude 1.0',
    clientName: 'claude-code',
    time: minutesAgo(120),
  },
  {
    server: 'everything',
    method: 'tools/call',
    summary: 'echo(message: hi)',
    message: rpc({ id: 2, method: 'tools/call', params: { name: 'echo', arguments: { message: 'hi' } } }),
    jsonrpcId: 2,
    protocolVersion: '2025-06-18',
    userAgent: 'node',
    time: minutesAgo(40),
  },
  {
    server: 'github',
    method: 'tools/call',
    summary: 'delete_file(path: /tmp/x)',
    message: rpc({
      id: 3,
      method: 'tools/call',
      params: { name: 'delete_file', arguments: { path: '/tmp/x' } },
    }),
    jsonrpcId: 3,
    clientName: 'cursor-agent',
    protocolVersion: '2026-07-28',
    sessionId: 'conv-1234',
    time: minutesAgo(20),
    size: 150_000,
  },
  {
    server: 'github',
    method: 'tools/call',
    summary: 'get_issue(id: 7)',
    message: rpc({ id: 4, method: 'tools/call', params: { name: 'get_issue', arguments: { id: 7 } } }),
    jsonrpcId: 4,
    sessionId: '3f2a9c1e-0000',
    time: minutesAgo(18),
  },
  {
    server: 'github',
    kind: 'response',
    direction: 'server_to_client',
    method: 'tools/call',
    summary: 'weather is sunny',
    message: rpc({
      id: 4,
      result: { content: [{ type: 'text', text: 'weather is sunny, rate limit near' }] },
    }),
    jsonrpcId: 4,
    durationMs: 1600,
    tokens: 1200,
    transport: 'http-sse',
    partnerId: 4,
    time: minutesAgo(17),
  },
  {
    server: 'linear',
    kind: 'error',
    direction: 'server_to_client',
    method: 'tools/call',
    summary: 'error -32601: Unknown tool: x',
    errorCode: -32601,
    errorMessage: 'Unknown tool: x',
    message: rpc({ id: 5, error: { code: -32601, message: 'Unknown tool: x' } }),
    jsonrpcId: 5,
    durationMs: 8,
    httpStatus: 500,
    time: minutesAgo(10),
  },
  {
    server: 'test-a',
    method: 'ping',
    kind: 'request',
    jsonrpcId: 'abc-1',
    message: rpc({ id: 'abc-1', method: 'ping' }),
    httpStatus: 404,
    note: 'answered by the gateway',
    time: minutesAgo(3),
    linkedId: 42,
    truncated: true,
  },
  {
    server: 'test-b',
    kind: 'notification',
    method: 'notifications/progress',
    jsonrpcId: undefined,
    message: rpc({ method: 'notifications/progress', params: { progress: 1 } }),
    transport: 'stdio',
    protocolVersion: null,
    sessionId: null,
    clientName: null,
    redactions: 2,
    note: 'health check',
    time: minutesAgo(1),
  },
  {
    server: 'memory',
    kind: 'stderr',
    direction: 'server_to_client',
    method: null,
    jsonrpcId: undefined,
    transport: 'stdio',
    message: 'Listening on stdio :: ready (timeout 30s)',
    summary: 'Listening on stdio :: ready (timeout 30s)',
    time: minutesAgo(0.5),
  },
];

/** Every filter the documentation shows: the fields' examples (README and docs/filter-language.md tables
 * are checked against them by docs.test.ts) and the examples written in the page itself. */
function documentedExamples(): string[] {
  const page = readFileSync(new URL('../../docs/filter-language.md', import.meta.url), 'utf8');
  const examples = new Set<string>(FIELDS.flatMap((field) => field.examples));
  const block = /```\n([\s\S]*?)```/.exec(page)?.[1] ?? '';
  for (const line of block.split('\n')) if (line.trim()) examples.add(line.trim());
  for (const row of page.split('\n').filter((l) => l.startsWith('| `'))) {
    const cells = row.split('|');
    const last = cells[cells.length - 2] ?? '';
    for (const m of last.matchAll(/`([^`]+)`/g)) examples.add(m[1] as string);
  }
  for (const extra of [
    'method:a OR method:b',
    'NOT kind:notification',
    'paris sunny',
    '"rate limit"',
    'weath*',
    '-weather',
    '::',
    '-:: kind:stderr',
    'rpcid:4',
    'tool:get_*',
    'tool~DELETE',
    '-tool:echo',
    'client~CURS',
    'has:partner',
  ]) {
    examples.add(extra);
  }
  return [...examples].filter((example) => {
    try {
      parseFilter(example);
      return true;
    } catch {
      return false;
    }
  });
}

describe('a filter matches the same records in memory as in SQLite', () => {
  let t: TestStore;
  let records: CapturedRecord[];

  beforeAll(() => {
    t = openTestStore();
    t.write(FIXTURE.map((overrides) => makeRecord(overrides)));
    records = t.store.list({ filter: parseFilter(''), limit: 100, order: 'asc', now: NOW }).records;
  });
  afterAll(() => t.close());

  const examples = documentedExamples();

  it('has the documented examples to check', () => {
    expect(examples.length).toBeGreaterThan(60);
  });

  it.each(examples)('%s', (example) => {
    const filter = parseFilter(example);
    const inSql = t.store
      .list({ filter, limit: 100, order: 'asc', now: NOW })
      .records.map((r) => r.id)
      .sort((a, b) => a - b);
    const inMemory = records
      .filter((record) => matchFilter(filter, recordFacts(record), { now: NOW }))
      .map((r) => r.id)
      .sort((a, b) => a - b);
    expect(inMemory).toEqual(inSql);
  });

  it('finds a tool by name in the store and in memory', () => {
    const filter = parseFilter('tool:delete_file');
    const found = t.store.list({ filter, limit: 100, order: 'asc', now: NOW }).records;
    expect(found.map((r) => r.summary)).toEqual(['delete_file(path: /tmp/x)']);
  });
});

describe('a rule for messages in flight', () => {
  it.each([
    ['duration>500', 'duration'],
    ['method:tools/call last:15m', 'last'],
    ['time>2h', 'time'],
    ['id>1000', 'id'],
    ['has:duration', 'has:duration'],
  ])('refuses %s, naming %s', (text, named) => {
    const problem = inFlightProblem(parseFilter(text));
    expect(problem?.message).toContain(`${named} cannot be used in a rule`);
  });

  it('accepts what a message in flight has', () => {
    expect(
      inFlightProblem(parseFilter('method:tools/call tool:delete_file -client:cursor has:error')),
    ).toBeNull();
  });
});
