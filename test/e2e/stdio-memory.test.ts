import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { connectClient, HOST_WITHOUT_ROOTS } from '../helpers/mcp-client.js';
import { serverStatus, stdioServers } from '../helpers/stdio.js';

function graphText(result: unknown): string {
  return JSON.stringify(result);
}

/** @modelcontextprotocol/server-memory (a knowledge graph kept in a file) behind the gateway. */
describe.each(['shared', 'isolated'] as const)('server-memory over stdio, %s mode', (sessionMode) => {
  let gw: TestGateway;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-gateway-memory-'));
    gw = await startTestGateway({
      servers: { memory: stdioServers.memory(join(dir, 'memory.jsonl'), { sessionMode }) },
    });
  });

  afterAll(async () => {
    await gw?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the knowledge graph a client builds, and finds it again', async () => {
    const session = await connectClient(gw.proxyUrl('memory'), 'test-client', HOST_WITHOUT_ROOTS);
    try {
      const tools = (await session.client.listTools()).tools.map((t) => t.name);
      expect(tools).toEqual(expect.arrayContaining(['create_entities', 'read_graph', 'search_nodes']));
      await session.client.callTool({
        name: 'create_entities',
        arguments: {
          entities: [
            { name: `Ada-${sessionMode}`, entityType: 'person', observations: ['wrote the first program'] },
          ],
        },
      });
      await session.client.callTool({
        name: 'add_observations',
        arguments: {
          observations: [{ entityName: `Ada-${sessionMode}`, contents: ['worked with Babbage'] }],
        },
      });
      const found = await session.client.callTool({ name: 'search_nodes', arguments: { query: 'Babbage' } });
      expect(graphText(found)).toContain(`Ada-${sessionMode}`);
    } finally {
      await session.close();
    }
  });

  it(
    sessionMode === 'shared'
      ? 'runs one process for all sessions: what one session stores, another reads at once'
      : 'runs one process per session, ended with its session',
    async () => {
      const a = await connectClient(gw.proxyUrl('memory'), 'writer', HOST_WITHOUT_ROOTS);
      const b = await connectClient(gw.proxyUrl('memory'), 'reader', HOST_WITHOUT_ROOTS);
      const sessions = [a.transport.sessionId, b.transport.sessionId];
      try {
        expect((await serverStatus(gw, 'memory')).sessions).toBe(2);
        await a.client.callTool({
          name: 'create_entities',
          arguments: { entities: [{ name: `Grace-${sessionMode}`, entityType: 'person', observations: [] }] },
        });
        const graph = graphText(await b.client.callTool({ name: 'read_graph', arguments: {} }));
        // Both modes share the file; only shared mode shares the process that holds it.
        expect(graph).toContain(`Grace-${sessionMode}`);
      } finally {
        await a.close();
        await b.close();
      }
      const started = await gw.records(
        (r) => sessions.includes(r.sessionId ?? '') && r.message.includes('started for this session'),
      );
      expect(started.length).toBe(sessionMode === 'isolated' ? 2 : 0);
      expect((await serverStatus(gw, 'memory')).sessions).toBe(0);
    },
  );
});
