import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CapturedRecord } from '../../src/core/record.js';
import { startEverythingBehindGateway } from '../helpers/everything.js';
import { type ConnectedClient, connectClient, HOST_WITHOUT_ROOTS } from '../helpers/mcp-client.js';
import { waitFor } from '../helpers/stdio.js';

type Gateway = Awaited<ReturnType<typeof startEverythingBehindGateway>>;

/** server-everything's task tool (MCP 2025-11-25 tasks), run to its end the way the SDK's task client does. */
async function research(connected: ConnectedClient): Promise<{ taskId: string; result: unknown }> {
  const stream = connected.client.experimental.tasks.callToolStream(
    { name: 'simulate-research-query', arguments: { topic: 'tides', ambiguous: true } },
    CallToolResultSchema,
    { task: { ttl: 60_000 } },
  );
  let taskId = '';
  for await (const message of stream) {
    if (message.type === 'taskCreated') taskId = message.task.taskId;
    if (message.type === 'error') throw message.error;
    if (message.type === 'result') return { taskId, result: message.result };
  }
  throw new Error('the task stream ended without a result');
}

describe('tasks (MCP 2025-11-25) through the HTTP proxy', () => {
  let setup: Gateway;
  let direct: ConnectedClient;
  let proxied: ConnectedClient;

  beforeAll(async () => {
    setup = await startEverythingBehindGateway();
    direct = await connectClient(setup.everything.url, 'task-client', HOST_WITHOUT_ROOTS);
    proxied = await connectClient(setup.gw.proxyUrl('everything'), 'task-client', HOST_WITHOUT_ROOTS);
  });

  afterAll(async () => {
    await proxied?.close();
    await direct?.close();
    await setup?.stop();
  });

  it('links tasks/get, tasks/result and the task side request to the tools/call that created the task', async () => {
    const [straight, through] = await Promise.all([research(direct), research(proxied)]);
    // Equal but for the task's own id, which each server run mints afresh.
    const withoutTask = (result: unknown) => JSON.stringify(result).replaceAll(/"taskId":"[^"]*"/g, '');
    expect(withoutTask(through.result)).toBe(withoutTask(straight.result));
    expect(JSON.stringify(through.result)).toContain('Research Report');

    const records = await waitFor('the task result recorded', async () => {
      const all = await setup.gw.records((r) => r.server === 'everything');
      return all.some((r) => r.kind === 'response' && r.method === 'tasks/result') ? all : undefined;
    });
    const creator = records.find(
      (r) =>
        r.kind === 'request' && r.method === 'tools/call' && r.message.includes('simulate-research-query'),
    ) as CapturedRecord;
    const created = records.find((r) => r.partnerId === creator.id) as CapturedRecord;
    expect(created.summary).toMatch(new RegExp(`^task ${through.taskId} working`));

    const linked = records.filter((r) => r.linkKind === 'task');
    const methods = new Set(linked.map((r) => r.method));
    expect(methods).toContain('tasks/get');
    expect(methods).toContain('tasks/result');
    // The clarification the task asks for travels as a server request tied to the task by its _meta.
    expect(methods).toContain('elicitation/create');
    for (const record of linked) expect(record.linkedId).toBe(creator.id);
    // Nothing about this task is left unlinked.
    const aboutTask = records.filter((r) => r.kind === 'request' && r.message.includes(through.taskId));
    expect(aboutTask.every((r) => r.linkedId === creator.id)).toBe(true);

    // The answer with the task's outcome carries the whole operation's time: four one-second stages.
    const outcome = records.find(
      (r) => r.kind === 'response' && r.method === 'tasks/result',
    ) as CapturedRecord;
    expect(outcome.operationMs).toBeGreaterThanOrEqual(3_000);
    expect(outcome.operationMs).toBeCloseTo(outcome.time - creator.time, 0);
    const polls = records.filter((r) => r.kind === 'response' && r.method === 'tasks/get');
    expect(polls.length).toBeGreaterThan(0);
    expect(polls.every((r) => r.operationMs === null)).toBe(true);
  });
});
