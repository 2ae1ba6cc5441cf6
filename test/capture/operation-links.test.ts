import { describe, expect, it } from 'vitest';
import { jsonDraft, type MessageDraft } from '../../src/capture/draft.js';
import { OperationLinks } from '../../src/capture/operation-links.js';
import { Recorder } from '../../src/capture/recorder.js';
import type { CaptureEvent } from '../../src/core/capture-events.js';
import { MemorySink } from '../helpers/memory-sink.js';

function capture() {
  const sink = new MemorySink();
  const recorder = new Recorder({
    sink,
    maxMessageBytes: 1024 * 1024,
    onStoreFailure: (error) => {
      throw error;
    },
    onListenerError: (_listener, error) => {
      throw error;
    },
  });
  return { sink, record: (events: CaptureEvent[]) => recorder.record(events) };
}

let exchange = 0;

/** One POST with a JSON answer, sessionless as in MCP 2026-07-28: sent at t0, answered at t1. */
function post(server: string, request: unknown, response: unknown, t0: number, t1 = t0 + 20): CaptureEvent[] {
  const x = ++exchange;
  const body = JSON.stringify(request);
  return [
    {
      type: 'exchange-start',
      exchange: x,
      time: t0,
      server,
      sessionId: null,
      httpMethod: 'POST',
      requestHeaders: { 'content-type': 'application/json' },
      configuredHeaders: [],
      body,
      bodySize: body.length,
      bodyTruncated: false,
    },
    {
      type: 'response-start',
      exchange: x,
      time: t1 - 1,
      status: 200,
      headers: { 'content-type': 'application/json' },
      mode: 'json',
      origin: 'upstream',
    },
    {
      type: 'response-chunk',
      exchange: x,
      time: t1,
      chunk: new TextEncoder().encode(JSON.stringify(response)),
    },
    { type: 'exchange-end', exchange: x, time: t1, error: null, lostChunks: 0 },
  ];
}

/** A line on a stdio server's stdin (client → server) or stdout (server → client). */
function line(server: string, stream: 'stdin' | 'stdout', message: unknown, time: number): CaptureEvent {
  return {
    type: 'stdio-line',
    time,
    server,
    sessionId: 's1',
    stream,
    line: JSON.stringify(message),
    truncated: false,
  };
}

const meta = (client: string) => ({
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: client, version: '1.0.0' },
});

function call(id: number, name: string, extra: Record<string, unknown> = {}, client = 'app') {
  return {
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name, arguments: { env: 'prod' }, ...extra, _meta: meta(client) },
  };
}

function inputRequired(id: number, requestState?: string) {
  return {
    jsonrpc: '2.0',
    id,
    result: {
      resultType: 'input_required',
      inputRequests: {
        confirm: { method: 'elicitation/create', params: { mode: 'form', message: 'Deploy to prod?' } },
      },
      ...(requestState ? { requestState } : {}),
    },
  };
}

const done = (id: number, text = 'deployed') => ({
  jsonrpc: '2.0',
  id,
  result: { resultType: 'complete', content: [{ type: 'text', text }] },
});

const confirmed = { confirm: { action: 'accept', content: { confirm: true } } };

describe('multi-round-trip requests are one operation', () => {
  it('links the retry to the first round and gives the final answer the total time, the wait for the person included', () => {
    const { sink, record } = capture();
    record(post('deployer', call(1, 'deploy'), inputRequired(1, 'state-A'), 1000, 1020));
    // The person takes five seconds to confirm before the client retries with a new id.
    record(
      post(
        'deployer',
        call(2, 'deploy', { inputResponses: confirmed, requestState: 'state-A' }),
        done(2),
        6000,
        6050,
      ),
    );
    const [first, asked, retry, answer] = sink.records;
    expect(asked?.summary).toBe('input required: confirm (elicitation/create: Deploy to prod?)');
    expect(asked?.operationMs).toBeNull();
    expect(first?.linkedId).toBeNull();
    expect(retry).toMatchObject({ kind: 'request', linkedId: first?.id, linkKind: 'mrtr-retry' });
    expect(answer).toMatchObject({
      kind: 'response',
      partnerId: retry?.id,
      durationMs: 50,
      operationMs: 5050,
    });
  });

  it('links each round to the one before it over three rounds, the total counted from the first', () => {
    const { sink, record } = capture();
    record(post('s', call(1, 'deploy'), inputRequired(1, 'one'), 1000));
    record(
      post(
        's',
        call(2, 'deploy', { requestState: 'one', inputResponses: {} }),
        inputRequired(2, 'two'),
        2000,
      ),
    );
    record(
      post('s', call(3, 'deploy', { requestState: 'two', inputResponses: confirmed }), done(3), 3000, 3100),
    );
    const requests = sink.records.filter((r) => r.kind === 'request');
    expect(requests.map((r) => r.linkedId)).toEqual([null, requests[0]?.id, requests[1]?.id]);
    const answers = sink.records.filter((r) => r.kind === 'response');
    expect(answers.map((r) => r.operationMs)).toEqual([null, null, 2100]);
  });

  it('keeps two clients handed the same requestState apart, by the client each request declares', () => {
    const { sink, record } = capture();
    record(post('s', call(1, 'deploy', {}, 'alice'), inputRequired(1, 'deploy:prod'), 1000));
    record(post('s', call(1, 'deploy', {}, 'bob'), inputRequired(1, 'deploy:prod'), 1100));
    record(
      post(
        's',
        call(2, 'deploy', { requestState: 'deploy:prod', inputResponses: confirmed }, 'alice'),
        done(2),
        2000,
      ),
    );
    record(
      post(
        's',
        call(2, 'deploy', { requestState: 'deploy:prod', inputResponses: confirmed }, 'bob'),
        done(2),
        3000,
      ),
    );
    const byId = (id: number | null) => sink.records.find((r) => r.id === id);
    const retries = sink.records.filter((r) => r.linkKind === 'mrtr-retry');
    expect(retries).toHaveLength(2);
    for (const retry of retries) {
      const client = retry.message.includes('alice') ? 'alice' : 'bob';
      expect(byId(retry.linkedId)?.message).toContain(client);
    }
  });

  it('without a requestState, matches the same tool in the same conversation and nothing else', () => {
    const { sink, record } = capture();
    record([
      line('s', 'stdin', call(1, 'deploy'), 1000),
      line('s', 'stdout', inputRequired(1), 1010),
      // A retry of another tool, and a plain call, continue nothing.
      line('s', 'stdin', call(2, 'rollback', { inputResponses: confirmed }), 1500),
      line('s', 'stdin', call(3, 'deploy'), 1600),
      line('s', 'stdin', call(4, 'deploy', { inputResponses: confirmed }), 4000),
      line('s', 'stdout', done(4), 4010),
    ]);
    const linked = sink.records.filter((r) => r.linkedId !== null);
    expect(linked.map((r) => r.jsonrpcId)).toEqual([4]);
    expect(linked[0]?.linkedId).toBe(sink.records[0]?.id);
    expect(sink.records.at(-1)?.operationMs).toBe(3010);
  });

  it('links a retry only once: a second retry with the same requestState continues nothing', () => {
    const { sink, record } = capture();
    record(post('s', call(1, 'deploy'), inputRequired(1, 'once'), 1000));
    record(post('s', call(2, 'deploy', { requestState: 'once', inputResponses: confirmed }), done(2), 2000));
    record(post('s', call(3, 'deploy', { requestState: 'once', inputResponses: confirmed }), done(3), 3000));
    expect(sink.records.filter((r) => r.linkKind === 'mrtr-retry').map((r) => r.jsonrpcId)).toEqual([2]);
    expect(sink.records.at(-1)?.operationMs).toBeNull();
  });
});

function draft(message: unknown, time: number, id: number, direction: MessageDraft['record']['direction']) {
  const value = JSON.parse(JSON.stringify(message)) as unknown;
  const made = jsonDraft(
    {
      time,
      server: 's',
      sessionId: null,
      direction,
      transport: 'http-json',
      httpMethod: 'POST',
      httpStatus: 200,
    },
    value,
    JSON.stringify(value),
  );
  made.id = id;
  return made;
}

describe('the link tracker', () => {
  it('is bounded: past its capacity the oldest rounds are forgotten and their retries continue nothing', () => {
    const links = new OperationLinks(2);
    for (let i = 1; i <= 3; i++) {
      const request = draft(call(i, `tool-${i}`), i, i, 'client_to_server');
      links.message(request);
      const answer = draft(inputRequired(i, `state-${i}`), i + 0.5, 100 + i, 'server_to_client');
      answer.record.method = 'tools/call';
      links.answered(request, answer);
    }
    expect(links.size.rounds).toBe(2);
    const forgotten = draft(
      call(10, 'tool-1', { requestState: 'state-1', inputResponses: {} }),
      9,
      10,
      'client_to_server',
    );
    links.message(forgotten);
    expect(forgotten.record.linkedId).toBeNull();
    const kept = draft(
      call(11, 'tool-3', { requestState: 'state-3', inputResponses: {} }),
      9,
      11,
      'client_to_server',
    );
    links.message(kept);
    expect(kept.record).toMatchObject({ linkedId: 3, linkKind: 'mrtr-retry' });
    expect(links.size.rounds).toBe(1);
  });

  it('forgets the oldest tasks past its capacity', () => {
    const links = new OperationLinks(2);
    for (let i = 1; i <= 3; i++) {
      const request = draft(call(i, 'slow', { task: { ttl: 1000 } }), i, i, 'client_to_server');
      links.message(request);
      links.answered(
        request,
        draft(
          { jsonrpc: '2.0', id: i, result: { task: { taskId: `t${i}`, status: 'working' } } },
          i,
          100 + i,
          'server_to_client',
        ),
      );
    }
    expect(links.size.tasks).toBe(2);
    const old = draft(
      { jsonrpc: '2.0', id: 9, method: 'tasks/get', params: { taskId: 't1' } },
      9,
      9,
      'client_to_server',
    );
    links.message(old);
    expect(old.record.linkedId).toBeNull();
  });
});

describe('tasks are linked to the call that created them', () => {
  it('2025-11-25: tasks/get, the status notification, a side request and tasks/result link to the tools/call; tasks/result gets the total time', () => {
    const { sink, record } = capture();
    const taskId = '786512e2-9e0d-44bd-8f29-789f320fe840';
    const related = { 'io.modelcontextprotocol/related-task': { taskId } };
    record([
      line(
        's',
        'stdin',
        {
          jsonrpc: '2.0',
          id: 1,
          method: 'tools/call',
          params: { name: 'research', arguments: {}, task: { ttl: 60000 } },
        },
        1000,
      ),
      line(
        's',
        'stdout',
        { jsonrpc: '2.0', id: 1, result: { task: { taskId, status: 'working', ttl: 60000 } } },
        1010,
      ),
      line('s', 'stdin', { jsonrpc: '2.0', id: 2, method: 'tasks/get', params: { taskId } }, 2000),
      line('s', 'stdout', { jsonrpc: '2.0', id: 2, result: { taskId, status: 'input_required' } }, 2005),
      line(
        's',
        'stdout',
        {
          jsonrpc: '2.0',
          id: 7,
          method: 'elicitation/create',
          params: { message: 'Which?', _meta: related },
        },
        2100,
      ),
      line(
        's',
        'stdout',
        { jsonrpc: '2.0', method: 'notifications/tasks/status', params: { taskId, status: 'completed' } },
        4000,
      ),
      line('s', 'stdin', { jsonrpc: '2.0', id: 3, method: 'tasks/result', params: { taskId } }, 4100),
      line(
        's',
        'stdout',
        { jsonrpc: '2.0', id: 3, result: { content: [{ type: 'text', text: 'report' }], _meta: related } },
        4200,
      ),
    ]);
    const creator = sink.records[0];
    expect(sink.records[1]?.summary).toBe(`task ${taskId} working`);
    const linked = sink.records.filter((r) => r.linkKind === 'task');
    expect(linked.map((r) => r.method)).toEqual([
      'tasks/get',
      'elicitation/create',
      'notifications/tasks/status',
      'tasks/result',
    ]);
    for (const r of linked) expect(r.linkedId).toBe(creator?.id);
    expect(sink.records.at(-1)).toMatchObject({ method: 'tasks/result', operationMs: 3200 });
    // A status poll is not the end of the operation.
    expect(sink.records[3]?.operationMs).toBeNull();
  });

  it('2026-07-28 extension: the flat CreateTaskResult, tasks/update and tasks/cancel link; a terminal tasks/get with the result ends it', () => {
    const { sink, record } = capture();
    record(
      post(
        's',
        call(1, 'build'),
        {
          jsonrpc: '2.0',
          id: 1,
          result: { resultType: 'task', taskId: 'T-1', status: 'working', ttlMs: 60000 },
        },
        1000,
      ),
    );
    record(
      post(
        's',
        {
          jsonrpc: '2.0',
          id: 2,
          method: 'tasks/update',
          params: { taskId: 'T-1', inputResponses: confirmed },
        },
        { jsonrpc: '2.0', id: 2, result: {} },
        2000,
      ),
    );
    record(
      post(
        's',
        { jsonrpc: '2.0', id: 3, method: 'tasks/get', params: { taskId: 'T-1' } },
        {
          jsonrpc: '2.0',
          id: 3,
          result: { resultType: 'task', taskId: 'T-1', status: 'completed', result: { content: [] } },
        },
        9000,
        9010,
      ),
    );
    record(
      post(
        's',
        { jsonrpc: '2.0', id: 4, method: 'tasks/cancel', params: { taskId: 'other' } },
        { jsonrpc: '2.0', id: 4, result: {} },
        9500,
      ),
    );
    expect(sink.records[1]?.summary).toBe('task T-1 working');
    expect(sink.records.filter((r) => r.linkKind === 'task').map((r) => r.method)).toEqual([
      'tasks/update',
      'tasks/get',
    ]);
    expect(sink.records.find((r) => r.kind === 'response' && r.method === 'tasks/get')?.operationMs).toBe(
      8010,
    );
    expect(sink.records.find((r) => r.method === 'tasks/cancel')?.linkedId).toBeNull();
  });
});
