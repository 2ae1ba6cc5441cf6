import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, type CliRun, runCli } from '../helpers/cli.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { connectClient, HOST_WITHOUT_ROOTS } from '../helpers/mcp-client.js';
import { stdioServers } from '../helpers/stdio.js';

/** One client call and what the real server answered to it through the gateway. */
interface Call {
  label: string;
  run: (client: Client) => Promise<unknown>;
}

const everythingCalls: Call[] = [
  { label: 'tools/list', run: (c) => c.listTools() },
  { label: 'echo hi', run: (c) => c.callTool({ name: 'echo', arguments: { message: 'hi' } }) },
  { label: 'echo bye', run: (c) => c.callTool({ name: 'echo', arguments: { message: 'bye' } }) },
  { label: 'get-sum', run: (c) => c.callTool({ name: 'get-sum', arguments: { a: 2, b: 40 } }) },
  {
    label: 'resources/read',
    run: (c) => c.readResource({ uri: 'demo://resource/static/document/architecture.md' }),
  },
  { label: 'prompts/list', run: (c) => c.listPrompts() },
  { label: 'prompts/get', run: (c) => c.getPrompt({ name: 'args-prompt', arguments: { city: 'Paris' } }) },
];

/** read_graph asked twice with different answers: the mock replays them in order. */
const memoryCalls: Call[] = [
  { label: 'tools/list', run: (c) => c.listTools() },
  { label: 'read_graph (empty)', run: (c) => c.callTool({ name: 'read_graph', arguments: {} }) },
  {
    label: 'create_entities',
    run: (c) =>
      c.callTool({
        name: 'create_entities',
        arguments: { entities: [{ name: 'Ada', entityType: 'person', observations: ['wrote a program'] }] },
      }),
  },
  { label: 'read_graph', run: (c) => c.callTool({ name: 'read_graph', arguments: {} }) },
  {
    label: 'search_nodes',
    run: (c) => c.callTool({ name: 'search_nodes', arguments: { query: 'program' } }),
  },
];

interface Recorded {
  sessionId: string;
  answers: unknown[];
  serverVersion: unknown;
}

/** Runs the calls through the gateway with the SDK client: the real server's answers, and the session. */
async function record(gw: TestGateway, server: string, calls: Call[]): Promise<Recorded> {
  const session = await connectClient(gw.proxyUrl(server), 'app-under-test', HOST_WITHOUT_ROOTS);
  const answers: unknown[] = [];
  for (const call of calls) answers.push(await call.run(session.client));
  const sessionId = session.transport.sessionId as string;
  const serverVersion = session.client.getServerVersion();
  await session.close();
  await gw.gateway.flushCapture();
  return { sessionId, answers, serverVersion };
}

async function stdioMock(args: string[]): Promise<Client> {
  const client = new Client({ name: 'app-under-test', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'mock', ...args, '--stdio'],
      stderr: 'ignore',
    }),
  );
  return client;
}

const running: CliRun[] = [];

async function httpMock(args: string[]): Promise<Client> {
  const run = runCli(['mock', ...args, '--port', '0']);
  running.push(run);
  const output = await run.waitFor(/Listening on (http:\S+)/);
  const url = /Listening on (http:\S+)/.exec(output)?.[1] as string;
  const client = new Client({ name: 'app-under-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

async function replayed(client: Client, calls: Call[]): Promise<unknown[]> {
  const answers: unknown[] = [];
  try {
    for (const call of calls) answers.push(await call.run(client));
  } finally {
    await client.close();
  }
  return answers;
}

// Each test starts the built CLI a few times: generous timeouts for a loaded machine.
describe('mcp-gateway mock: recorded sessions served to the SDK client', { timeout: 180_000 }, () => {
  let gw: TestGateway;
  let storageDir: string;
  let work: string;
  let everything: Recorded;
  let memory: Recorded;

  beforeAll(async () => {
    storageDir = mkdtempSync(join(tmpdir(), 'mcp-gateway-mock-'));
    work = mkdtempSync(join(tmpdir(), 'mcp-gateway-mock-work-'));
    gw = await startTestGateway({
      storageDir,
      servers: {
        everything: stdioServers.everything(),
        memory: stdioServers.memory(join(work, 'memory.jsonl')),
      },
    });
    everything = await record(gw, 'everything', everythingCalls);
    memory = await record(gw, 'memory', memoryCalls);
  }, 120_000);

  afterAll(async () => {
    for (const run of running) if (run.child.exitCode === null) run.child.kill('SIGTERM');
    await gw?.stop();
    rmSync(storageDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('answers as server-everything did, over stdio, from the session id while the gateway runs', async () => {
    const client = await stdioMock(['--from', everything.sessionId, '--storage-dir', storageDir]);
    expect(client.getServerVersion()).toEqual(everything.serverVersion);
    expect(await replayed(client, everythingCalls)).toEqual(everything.answers);
  });

  it('answers as server-memory did, over Streamable HTTP, repeated questions in recorded order', async () => {
    const client = await httpMock(['--from', memory.sessionId, '--storage-dir', storageDir]);
    expect(client.getServerVersion()).toEqual(memory.serverVersion);
    const graph = () => client.callTool({ name: 'read_graph', arguments: {} });
    const answers: unknown[] = [];
    for (const call of memoryCalls) answers.push(await call.run(client));
    expect(answers).toEqual(memory.answers);
    expect(JSON.stringify(answers[1])).not.toContain('Ada');
    expect(JSON.stringify(answers[3])).toContain('Ada');
    // Past the recordings, the last answer repeats.
    expect(await graph()).toEqual(memory.answers[3]);
    await client.close();
  });

  it('names the method and the closest recordings for a call that was never recorded', async () => {
    const client = await httpMock(['--from', everything.sessionId, '--storage-dir', storageDir]);
    try {
      const error = await client.callTool({ name: 'echo', arguments: { message: 'never said' } }).then(
        () => null,
        (e: Error) => e,
      );
      expect(error?.message).toContain(
        'no recorded answer for tools/call {"name":"echo","arguments":{"message":"never said"}}: recorded tools/call calls are {"name":"echo","arguments":{"message":"hi"}}',
      );
      expect(error?.message).toContain('(closest differs at /arguments/message)');
      const unknown = await client
        .complete({
          ref: { type: 'ref/prompt', name: 'args-prompt' },
          argument: { name: 'city', value: 'P' },
        })
        .then(
          () => null,
          (e: Error) => e,
        );
      expect(unknown?.message).toContain('nothing was recorded for completion/complete');
    } finally {
      await client.close();
    }
  });

  it('builds a mock from a filter, and exports a fixture that serves the same answers once the gateway is gone', async () => {
    const fromFilter = await stdioMock(['--from', 'server:memory', '--storage-dir', storageDir]);
    expect(await replayed(fromFilter, memoryCalls)).toEqual(memory.answers);

    const fixture = join(work, 'everything.json');
    const exported = runCli([
      'mock',
      'export',
      '--from',
      everything.sessionId,
      '--out',
      fixture,
      '--storage-dir',
      storageDir,
    ]);
    expect(await exported.exit()).toBe(0);
    expect(exported.stdout()).toContain(`Wrote ${fixture}`);
    const saved = JSON.parse(readFileSync(fixture, 'utf8'));
    expect(saved).toMatchObject({
      format: 'mcp-gateway-mock-fixture',
      version: 1,
      server: { name: 'everything' },
    });
    expect(saved.handshake.method).toBe('initialize');

    await gw.stop();
    const overStdio = await stdioMock(['--from', fixture]);
    expect(await replayed(overStdio, everythingCalls)).toEqual(everything.answers);
    const overHttp = await httpMock(['--from', fixture]);
    expect(await replayed(overHttp, everythingCalls)).toEqual(everything.answers);
  });

  it('refuses a corrupt fixture and an unknown session with a clear error and exit code 2', async () => {
    const corrupt = join(work, 'corrupt.json');
    writeFileSync(corrupt, '{"format": "mcp-gateway-mock-fixture", "version": 1, "exch');
    const damaged = join(work, 'damaged.json');
    writeFileSync(
      damaged,
      JSON.stringify({ format: 'mcp-gateway-mock-fixture', version: 1, server: { name: 'x' } }),
    );
    const runs = [
      runCli(['mock', '--from', corrupt, '--stdio']),
      runCli(['mock', '--from', damaged, '--stdio']),
      runCli(['mock', '--from', 'no-such-session', '--storage-dir', storageDir, '--stdio']),
    ];
    expect(await Promise.all(runs.map((run) => run.exit()))).toEqual([2, 2, 2]);
    const [notJson, wrongShape, unknown] = runs as [CliRun, CliRun, CliRun];
    expect(notJson.stderr()).toContain(`${corrupt} is not JSON`);
    expect(wrongShape.stderr()).toContain(`${damaged} is a damaged fixture: at server.serverInfo`);
    expect(unknown.stderr()).toContain(
      `mcp-gateway mock: no session "no-such-session" in ${join(storageDir, 'logs.db')}`,
    );
    expect(unknown.stdout()).toBe('');
  });
});
