import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { connectClient, HOST_WITHOUT_ROOTS } from '../helpers/mcp-client.js';
import { stdioServers } from '../helpers/stdio.js';

interface WhoAmI {
  id: number | string;
  progressToken: number | string | null;
  pid: number;
}

function whoami(result: unknown): WhoAmI {
  const content = (result as { content: { text: string }[] }).content;
  return JSON.parse(content[0]?.text ?? '{}') as WhoAmI;
}

/** Shared mode multiplexes sessions over one process: ids, progress tokens and answers never mix. */
describe('two sessions sharing one stdio process', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startTestGateway({ servers: { fixture: stdioServers.fixture() } });
  });

  afterAll(async () => {
    await gw?.stop();
  });

  it('keeps colliding request ids and progress tokens apart, each answer reaching its own client', async () => {
    const a = await connectClient(gw.proxyUrl('fixture'), 'client-a', HOST_WITHOUT_ROOTS);
    const b = await connectClient(gw.proxyUrl('fixture'), 'client-b', HOST_WITHOUT_ROOTS);
    try {
      // Both SDK clients number their requests the same way, so these calls carry the same ids.
      const progressA: number[] = [];
      const progressB: number[] = [];
      const [slowA, fastB, stepsA, stepsB, whoA, whoB] = await Promise.all([
        a.client.callTool({ name: 'slow', arguments: { ms: 150 } }),
        b.client.callTool({ name: 'echo', arguments: { message: 'from b' } }),
        a.client.callTool({ name: 'progress', arguments: { steps: 3 } }, undefined, {
          onprogress: (p) => progressA.push(p.progress),
        }),
        b.client.callTool({ name: 'progress', arguments: { steps: 5 } }, undefined, {
          onprogress: (p) => progressB.push(p.progress),
        }),
        a.client.callTool({ name: 'whoami', arguments: {} }, undefined, { onprogress: () => {} }),
        b.client.callTool({ name: 'whoami', arguments: {} }, undefined, { onprogress: () => {} }),
      ]);
      expect(JSON.stringify(slowA)).toContain('waited 150 ms');
      expect(JSON.stringify(fastB)).toContain('Echo: from b');
      expect(JSON.stringify(stepsA)).toContain('done in 3 steps');
      expect(JSON.stringify(stepsB)).toContain('done in 5 steps');
      expect(progressA).toEqual([1, 2, 3]);
      expect(progressB).toEqual([1, 2, 3, 4, 5]);
      const [seenA, seenB] = [whoami(whoA), whoami(whoB)];
      expect(seenA.pid).toBe(seenB.pid);
      // The server saw distinct ids and tokens, although the clients used the same ones.
      expect(seenA.id).not.toEqual(seenB.id);
      expect(seenA.progressToken).not.toEqual(seenB.progressToken);

      // Each session's records carry its client's own ids, not the server's.
      const idsOf = async (sessionId: string) =>
        (
          await gw.records(
            (r) => r.sessionId === sessionId && r.kind === 'request' && r.method === 'tools/call',
          )
        )
          .map((r) => r.jsonrpcId)
          .sort();
      const [idsA, idsB] = [
        await idsOf(a.transport.sessionId as string),
        await idsOf(b.transport.sessionId as string),
      ];
      expect(idsA).toEqual(idsB);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('routes a server request to the session whose call is in flight, and relays the answer', async () => {
    const idle = await connectClient(gw.proxyUrl('fixture'), 'idle', HOST_WITHOUT_ROOTS);
    const busy = await connectClient(gw.proxyUrl('fixture'), 'busy', HOST_WITHOUT_ROOTS);
    try {
      await idle.client.callTool({
        name: 'echo',
        arguments: { message: 'most recently active, but idle now' },
      });
      const result = await busy.client.callTool({ name: 'sample', arguments: { prompt: 'hello' } });
      expect(JSON.stringify(result)).toContain('sampled: sampled reply to 1 message(s)');
      const sampling = await gw.records((r) => r.method === 'sampling/createMessage' && r.kind === 'request');
      expect(sampling.at(-1)?.sessionId).toBe(busy.transport.sessionId);
    } finally {
      await idle.close();
      await busy.close();
    }
  });

  it('routes a cancellation to the request it names, and the server stops working on it', async () => {
    const a = await connectClient(gw.proxyUrl('fixture'), 'test-client', HOST_WITHOUT_ROOTS);
    try {
      const controller = new AbortController();
      const call = a.client.callTool({ name: 'slow', arguments: { ms: 10_000 } }, undefined, {
        signal: controller.signal,
      });
      const stderr = async () =>
        (await (await gw.api('/api/servers/fixture/stderr')).json()) as { lines: { line: string }[] };
      await expect
        .poll(async () => (await stderr()).lines.some((l) => l.line.includes('working for 10000 ms')), {
          timeout: 10_000,
        })
        .toBe(true);
      controller.abort('changed my mind');
      await expect(call).rejects.toThrow();
      let lines: string[] = [];
      for (let i = 0; i < 100 && !lines.some((l) => l.includes('cancelled')); i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        lines = (await stderr()).lines.map((l) => l.line);
      }
      expect(lines.some((l) => /fixture: request \d+ cancelled/.test(l))).toBe(true);
      expect(
        JSON.stringify(await a.client.callTool({ name: 'echo', arguments: { message: 'still here' } })),
      ).toContain('still here');
    } finally {
      await a.close();
    }
  });
});
