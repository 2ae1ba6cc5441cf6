import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SdkServer, startSdkServer } from '../test/fixtures/sdk-server.js';
import { type RunningEverything, startEverything } from '../test/helpers/everything.js';
import { startTestGateway, type TestGateway } from '../test/helpers/gateway.js';
import { type ConnectedClient, connectClient } from '../test/helpers/mcp-client.js';
import { freePort } from '../test/helpers/ports.js';

/**
 * A gateway with real servers behind it and real traffic through it, for the README's screenshots:
 * server-everything over HTTP, server-memory over stdio, an SDK server with a slow tool, and one server
 * that is down.
 */
export interface Demo {
  gw: TestGateway;
  stop(): Promise<void>;
}

async function gatewayOnPort(port: number, storageDir: string, servers: Record<string, unknown>) {
  try {
    return await startTestGateway({ port, storageDir, servers });
  } catch {
    return startTestGateway({ storageDir, servers });
  }
}

export async function startDemo(port = 3333): Promise<Demo> {
  const storageDir = mkdtempSync(join(tmpdir(), 'mcp-gateway-demo-'));
  const everything: RunningEverything = await startEverything();
  const sdk: SdkServer = await startSdkServer({ json: false });
  const gw = await gatewayOnPort(port, storageDir, {
    everything: { type: 'http', url: everything.url },
    // As users register it; npx finds the copy installed in this checkout.
    memory: {
      type: 'stdio',
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-memory'],
      env: { MEMORY_FILE_PATH: join(storageDir, 'memory.jsonl') },
    },
    research: { type: 'http', url: sdk.url, headers: { Authorization: 'Bearer sk-demo-0123456789abcdef' } },
    // Nothing listens there: a server that is down.
    github: { type: 'http', url: `http://127.0.0.1:${await freePort()}/mcp` },
  });
  return {
    gw,
    async stop() {
      await gw.stop();
      await sdk.stop();
      await everything.stop();
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const CITIES = ['Lisbon', 'Oslo', 'Kyoto', 'Lima', 'Accra', 'Perth'];

/** One round of what an agent does with server-everything. */
async function everythingRound(code: ConnectedClient, round: number): Promise<void> {
  await code.client.callTool({ name: 'echo', arguments: { message: `step ${round + 1}` } });
  await code.client.callTool({ name: 'get-sum', arguments: { a: round, b: 40 } });
  if (round % 3 === 0)
    await code.client.readResource({ uri: 'demo://resource/static/document/architecture.md' });
  if (round % 4 === 1) {
    await code.client.callTool({
      name: 'trigger-long-running-operation',
      arguments: { duration: 0.6, steps: 3 },
    });
  }
  if (round % 4 === 2) await code.client.callTool({ name: 'no-such-tool', arguments: {} });
  if (round % 5 === 3) {
    await code.client.callTool({
      name: 'trigger-sampling-request',
      arguments: { prompt: 'Say hi', maxTokens: 20 },
    });
  }
}

async function researchRound(cursor: ConnectedClient, round: number): Promise<void> {
  for (const ms of [30 + round * 7, 90 + ((round * 53) % 400), 20 + ((round * 131) % 700)]) {
    await cursor.client.callTool({ name: 'slow', arguments: { ms } });
  }
  await cursor.client.callTool({
    name: 'echo',
    arguments: { message: `weather in ${CITIES[round % CITIES.length]}` },
  });
  if (round % 4 === 3)
    await cursor.client.callTool({ name: 'slow', arguments: { ms: 'soon' } }).catch(() => undefined);
}

async function memoryRound(desktop: ConnectedClient, round: number): Promise<void> {
  const name = ['Ada', 'Grace', 'Alan', 'Edsger'][round % 4] as string;
  await desktop.client.callTool({
    name: 'create_entities',
    arguments: { entities: [{ name, entityType: 'person', observations: [`met in round ${round + 1}`] }] },
  });
  await desktop.client.callTool({ name: 'search_nodes', arguments: { query: name } });
}

/**
 * What three clients do in a working session, in `rounds` spread `pauseMs` apart (so charts have a
 * shape and timelines have quiet stretches): list, call, read, fail now and then.
 */
export async function generateTraffic(gw: TestGateway, rounds = 1, pauseMs = 0): Promise<void> {
  const code = await connectClient(gw.proxyUrl('everything'), 'claude-code');
  const cursor = await connectClient(gw.proxyUrl('research'), 'cursor');
  const desktop = await connectClient(gw.proxyUrl('memory'), 'claude-desktop');
  await code.client.listTools();
  await code.client.listResources();
  await code.client.listPrompts();
  await cursor.client.listTools();
  await desktop.client.listTools();
  for (let round = 0; round < rounds; round++) {
    await everythingRound(code, round);
    await researchRound(cursor, round);
    await memoryRound(desktop, round);
    if (round < rounds - 1) await sleep(pauseMs * (0.4 + ((round * 37) % 10) / 8));
  }
  await desktop.client.callTool({ name: 'read_graph', arguments: {} });
  await code.close();
  await cursor.close();
  await desktop.close();
  await gw.gateway.flushCapture();
}
