import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  type ClientCapabilities,
  CreateTaskResultSchema,
  ListRootsRequestSchema,
  ListTasksResultSchema,
  ResultSchema,
  TaskStatusNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { connectClient, HOST_CAPABILITIES } from '../helpers/mcp-client.js';
import { everythingCommand, serverStatus, stdioServers } from '../helpers/stdio.js';

/** A client that declares nothing, and one that declares every client feature but roots. */
const NOTHING: ClientCapabilities = {};
const ALL_BUT_ROOTS: ClientCapabilities = {
  sampling: {},
  elicitation: { form: {}, url: {} },
  tasks: { list: {}, cancel: {}, requests: { sampling: { createMessage: {} }, elicitation: { create: {} } } },
};

const toolNames = async (client: Client) => (await client.listTools()).tools.map((t) => t.name).sort();

async function directToolNames(capabilities: ClientCapabilities): Promise<string[]> {
  const direct = new Client({ name: 'direct', version: '1.0.0' }, { capabilities });
  await direct.connect(new StdioClientTransport({ ...everythingCommand, stderr: 'ignore' }));
  try {
    return await toolNames(direct);
  } finally {
    await direct.close();
  }
}

/** A client behind shared mode sees what it would see with a process of its own. */
describe('a shared stdio server and clients that declare different capabilities', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startTestGateway({ servers: { everything: stdioServers.everything() } });
  });

  afterAll(async () => {
    await gw?.stop();
  });

  it('offers each client the tools the server offers it directly, all at once against one server', async () => {
    const declared = [NOTHING, ALL_BUT_ROOTS, HOST_CAPABILITIES];
    const direct = await Promise.all(declared.map(directToolNames));
    const clients = await Promise.all(
      declared.map((capabilities, i) =>
        connectClient(gw.proxyUrl('everything'), `client-${i}`, capabilities),
      ),
    );
    try {
      const proxied = await Promise.all(clients.map((c) => toolNames(c.client)));
      expect(proxied).toEqual(direct);
      // None gets the tools that would ask it for what it cannot do; the others get everything theirs offers.
      expect(proxied[0]).not.toContain('trigger-sampling-request');
      expect(proxied[1]).toContain('trigger-url-elicitation');
      expect(proxied[1]).toContain('trigger-sampling-request-async');
      expect(proxied[2]).toContain('get-roots-list');

      const status = await serverStatus(gw, 'everything');
      expect(status.sessions).toBe(3);
      expect(status.processes).toBe(3);
      const profiles = status.profiles ?? [];
      expect(profiles.find((p) => JSON.stringify(p.capabilities) === '{}')?.sessions).toBe(1);
      expect(profiles.find((p) => p.capabilities.tasks !== undefined)?.sessions).toBe(1);
      expect(profiles.find((p) => p.perSession)?.sessions).toBe(1);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
    // Six server-everything processes start here (three direct, three behind the gateway).
  }, 60_000);

  it('lets sessions that declare the same capabilities share one process', async () => {
    const a = await connectClient(gw.proxyUrl('everything'), 'a', ALL_BUT_ROOTS);
    const b = await connectClient(gw.proxyUrl('everything'), 'b', ALL_BUT_ROOTS);
    try {
      const status = await serverStatus(gw, 'everything');
      const shared = (status.profiles ?? []).filter((p) => p.capabilities.tasks !== undefined);
      expect(shared).toHaveLength(1);
      expect(shared[0]?.sessions).toBe(2);
    } finally {
      await a.close();
      await b.close();
    }
    // The process for that profile ends with its last session; the one for bare clients stays.
    await expect
      .poll(async () => (await serverStatus(gw, 'everything')).processes, { timeout: 10_000 })
      .toBe(1);
  });
});

describe('tasks of sessions sharing one process', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startTestGateway({ servers: { everything: stdioServers.everything() } });
  });

  afterAll(async () => {
    await gw?.stop();
  });

  it('stay with their session: another session neither lists, reads nor hears of them', async () => {
    const a = await connectClient(gw.proxyUrl('everything'), 'owner', NOTHING);
    const b = await connectClient(gw.proxyUrl('everything'), 'other', NOTHING);
    const statusesSeenByB: string[] = [];
    b.client.setNotificationHandler(TaskStatusNotificationSchema, (n) => {
      statusesSeenByB.push(n.params.taskId);
    });
    try {
      const created = await a.client.request(
        {
          method: 'tools/call',
          params: {
            name: 'simulate-research-query',
            arguments: { topic: 'isolation' },
            task: { ttl: 60_000 },
          },
        },
        CreateTaskResultSchema,
      );
      const taskId = created.task.taskId;
      const list = { method: 'tasks/list' as const, params: {} };
      expect((await a.client.request(list, ListTasksResultSchema)).tasks.map((t) => t.taskId)).toContain(
        taskId,
      );
      expect((await b.client.request(list, ListTasksResultSchema)).tasks).toEqual([]);

      // Another session's task is answered as the server answers a task that does not exist.
      const failure = async (method: 'tasks/get' | 'tasks/result' | 'tasks/cancel', id: string) =>
        b.client.request({ method, params: { taskId: id } }, ResultSchema).then(
          () => 'answered',
          (error: Error & { code?: number }) => `${error.code} ${error.message.replaceAll(id, '<id>')}`,
        );
      for (const method of ['tasks/get', 'tasks/result', 'tasks/cancel'] as const) {
        const unknown = await failure(method, 'no-such-task');
        expect(unknown).toMatch(/^-32602 .*not found/i);
        expect(await failure(method, taskId)).toBe(unknown);
      }

      // Its owner still reaches it, and gets its result.
      const result = (await a.client.request(
        { method: 'tasks/result', params: { taskId } },
        ResultSchema,
      )) as unknown as { content: { text: string }[] };
      expect(result.content[0]?.text).toContain('Research Report: isolation');
      expect(statusesSeenByB).toEqual([]);
      const statuses = await gw.records(
        (r) =>
          r.method === 'notifications/tasks/status' && r.message.includes(taskId) && r.sessionId !== null,
      );
      expect(statuses.length).toBeGreaterThan(0);
      expect(statuses.every((r) => r.sessionId === a.transport.sessionId)).toBe(true);
    } finally {
      await a.close();
      await b.close();
    }
  }, 60_000);
});

describe('roots of clients of a shared server-filesystem', () => {
  let gw: TestGateway;
  let base: string;
  let dirA: string;
  let dirB: string;
  let dirServer: string;

  beforeAll(async () => {
    base = realpathSync(mkdtempSync(join(tmpdir(), 'mcp-gateway-roots-')));
    [dirA, dirB, dirServer] = ['a', 'b', 'server'].map((name) => join(base, name)) as [
      string,
      string,
      string,
    ];
    for (const dir of [dirA, dirB, dirServer]) mkdirSync(dir);
    writeFileSync(join(dirA, 'secret-a.txt'), 'only for client A');
    writeFileSync(join(dirB, 'b.txt'), 'for client B');
    writeFileSync(join(dirServer, 'public.txt'), 'for everyone');
    gw = await startTestGateway({ servers: { fs: stdioServers.filesystem([dirServer]) } });
  });

  afterAll(async () => {
    await gw?.stop();
    rmSync(base, { recursive: true, force: true });
  });

  /** A client whose roots are `roots` (undefined: it declares no roots capability). */
  async function connect(
    name: string,
    roots?: string[],
  ): Promise<{ client: Client; close(): Promise<void> }> {
    const client = new Client({ name, version: '1.0.0' }, { capabilities: roots ? { roots: {} } : {} });
    if (roots) {
      client.setRequestHandler(ListRootsRequestSchema, async () => ({
        roots: roots.map((dir) => ({ uri: pathToFileURL(dir).href, name: dir })),
      }));
    }
    const transport = new StreamableHTTPClientTransport(new URL(gw.proxyUrl('fs')));
    await client.connect(transport);
    return {
      client,
      async close() {
        await transport.terminateSession().catch(() => {});
        await client.close();
      },
    };
  }

  const read = async (client: Client, path: string) => {
    const result = (await client.callTool({ name: 'read_text_file', arguments: { path } })) as {
      isError?: boolean;
      content: { text: string }[];
    };
    return result.isError ? `refused: ${result.content[0]?.text}` : (result.content[0]?.text ?? '');
  };

  const allowed = async (client: Client) =>
    (
      (await client.callTool({ name: 'list_allowed_directories', arguments: {} })) as {
        content: { text: string }[];
      }
    ).content[0]?.text ?? '';

  it("never lets one client's roots reach another client, during or after its session", async () => {
    const secret = join(dirA, 'secret-a.txt');
    const a = await connect('client-a', [dirA]);
    // server-filesystem asks for roots after initialize, then serves them.
    await expect.poll(async () => read(a.client, secret), { timeout: 10_000 }).toBe('only for client A');

    const noRoots = await connect('client-without-roots');
    let otherRoots: Awaited<ReturnType<typeof connect>> | undefined;
    try {
      expect(await read(noRoots.client, secret)).toMatch(/^refused: .*Access denied/);
      expect(await allowed(noRoots.client)).not.toContain(dirA);
      expect(await read(noRoots.client, join(dirServer, 'public.txt'))).toBe('for everyone');
      // As with a process of its own, A's roots replace the server's directory for A alone.
      expect(await read(a.client, join(dirServer, 'public.txt'))).toMatch(/^refused/);

      otherRoots = await connect('client-b', [dirB]);
      const b = otherRoots.client;
      await expect.poll(async () => read(b, join(dirB, 'b.txt')), { timeout: 10_000 }).toBe('for client B');
      expect(await read(b, secret)).toMatch(/^refused: .*Access denied/);
      // B's roots narrowed nothing for the others either.
      expect(await read(a.client, secret)).toBe('only for client A');
      expect(await read(noRoots.client, join(dirServer, 'public.txt'))).toBe('for everyone');
    } finally {
      await a.close();
      await otherRoots?.close();
      await noRoots.close();
    }

    const later = await connect('client-c');
    try {
      expect(await read(later.client, secret)).toMatch(/^refused: .*Access denied/);
      expect(await allowed(later.client)).toContain(dirServer);
      expect(await allowed(later.client)).not.toContain(dirA);
    } finally {
      await later.close();
    }
  }, 60_000);
});
