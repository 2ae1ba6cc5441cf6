import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CapturedRecord } from '../../src/core/record.js';
import { type RunningEverything, startEverything } from '../helpers/everything.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { type ConnectedClient, connectClient, HOST_WITHOUT_ROOTS } from '../helpers/mcp-client.js';
import { stdioServers } from '../helpers/stdio.js';

type Json = Record<string, unknown>;

/**
 * Each fault kind as the official SDK client sees it, through a real gateway in front of server-everything,
 * over HTTP and as a stdio server: the client cannot tell the gateway's faults from a real server's.
 */
for (const kind of ['http', 'stdio'] as const) {
  describe(`fault injection in front of server-everything over ${kind}`, { timeout: 60_000 }, () => {
    let gw: TestGateway;
    let everything: RunningEverything | undefined;
    let client: ConnectedClient;

    beforeAll(async () => {
      if (kind === 'http') everything = await startEverything();
      gw = await startTestGateway({
        healthInterval: 0,
        servers: {
          everything: everything ? { type: 'http', url: everything.url } : stdioServers.everything(),
        },
      });
      client = await connectClient(gw.proxyUrl('everything'), `fault-client-${kind}`, HOST_WITHOUT_ROOTS);
    }, 30_000);
    afterEach(async () => {
      const { faults } = (await (await gw.api('/api/faults')).json()) as { faults: { id: string }[] };
      for (const { id } of faults) await gw.api(`/api/faults/${id}`, { method: 'DELETE' });
    });
    afterAll(async () => {
      await client?.close();
      await gw?.stop();
      await everything?.stop();
    });

    const arm = async (rule: Json): Promise<string> => {
      const response = await gw.api('/api/faults', { method: 'POST', body: JSON.stringify(rule) });
      const body = (await response.json()) as { fault: { id: string } };
      expect(response.status, JSON.stringify(body)).toBe(201);
      return body.fault.id;
    };
    const fired = async (id: string) => {
      const { faults } = (await (await gw.api('/api/faults')).json()) as {
        faults: { id: string; fired: number }[];
      };
      return faults.find((f) => f.id === id)?.fired;
    };
    const echo = (message: string, timeout = 15_000) =>
      client.client.callTool({ name: 'echo', arguments: { message } }, undefined, { timeout });
    const timed = async <T>(run: () => Promise<T>) => {
      const started = performance.now();
      const value = await run();
      return { value, ms: performance.now() - started };
    };
    const recordsOf = async (marker: string) =>
      gw.records((r: CapturedRecord) => r.message?.includes(marker) === true);

    it('passes traffic untouched while nothing is armed', async () => {
      const result = await echo('plain');
      expect(result.content).toEqual([{ type: 'text', text: 'Echo: plain' }]);
    });

    it("delays a client's request by at least the rule's delay", async () => {
      const id = await arm({
        filter: 'method:tools/call tool:echo',
        direction: 'client_to_server',
        delayMs: 700,
      });
      const { value, ms } = await timed(() => echo('slow request'));
      expect(value.content).toEqual([{ type: 'text', text: 'Echo: slow request' }]);
      // A lower bound only: a busy machine may add time, never take it away.
      expect(ms).toBeGreaterThanOrEqual(690);
      expect(await fired(id)).toBe(1);
    });

    it("delays a server's answer on its way back", async () => {
      const id = await arm({ filter: 'method:tools/call', direction: 'server_to_client', delayMs: 700 });
      const { value, ms } = await timed(() => echo('slow answer'));
      expect(value.content).toEqual([{ type: 'text', text: 'Echo: slow answer' }]);
      expect(ms).toBeGreaterThanOrEqual(690);
      expect(await fired(id)).toBe(1);
    });

    it('answers a request with a JSON-RPC error in the server’s place, recorded as injected', async () => {
      await arm({ filter: 'tool:echo', error: { code: -32050, message: 'Injected outage' } });
      const failed = await echo('never arrives').catch((error: unknown) => error);
      expect(failed).toBeInstanceOf(McpError);
      expect((failed as McpError).code).toBe(-32050);
      expect((failed as McpError).message).toContain('Injected outage');
      const records = await recordsOf('Injected outage');
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({ direction: 'server_to_client', kind: 'error', origin: 'injected' });
      expect(records[0]?.note).toMatch(/fault rule f\d+/);
      // The server never saw the request: no answer of its own to it.
      expect(await recordsOf('Echo: never arrives')).toEqual([]);
    });

    it('answers with an HTTP status instead of forwarding', async () => {
      await arm({ filter: 'tool:echo', httpStatus: 503 });
      const failed = (await echo('status').catch((error: unknown) => error)) as Error;
      expect(failed).toBeInstanceOf(Error);
      expect(failed.message).toMatch(/503/);
      const records = await gw.records((r) => r.httpStatus === 503 && r.origin === 'injected');
      expect(records.length).toBeGreaterThan(0);
    });

    it('cuts the connection instead of answering', async () => {
      await arm({ filter: 'tool:echo', cut: 'connection' });
      const failed = await echo('cut').catch((error: unknown) => error);
      expect(failed).toBeInstanceOf(Error);
      expect(await recordsOf('Echo: cut')).toEqual([]);
    });

    it('cuts the SSE stream of a long running operation mid-response', async () => {
      const id = await arm({ filter: 'method:notifications/progress', cut: 'stream' });
      const progress: number[] = [];
      const failed = await client.client
        .callTool(
          { name: 'trigger-long-running-operation', arguments: { duration: 1, steps: 2 } },
          undefined,
          { timeout: 8000, onprogress: (p) => progress.push(p.progress) },
        )
        .then(
          () => null,
          (error: unknown) => error,
        );
      // No progress reaches the client: every stream that would carry one ends first. A client that can
      // resume (2025-11-25 event ids) may still get its answer on a new stream; one that cannot gives up.
      expect(progress).toEqual([]);
      if (failed instanceof Error) expect(failed.message).toMatch(/timed out|terminated|fetch failed|SSE/i);
      const cuts = await gw.records((r) =>
        /the gateway cut the (SSE )?stream/.test(`${r.summary} ${r.note}`),
      );
      expect(cuts.length).toBeGreaterThan(0);
      expect(await fired(id)).toBeGreaterThanOrEqual(1);
    });

    it('never fires at probability 0, and always at 1', async () => {
      const never = await arm({ filter: 'tool:echo', httpStatus: 503, probability: 0 });
      for (let i = 0; i < 5; i++) expect((await echo(`lucky ${i}`)).content).toHaveLength(1);
      expect(await fired(never)).toBe(0);
      await gw.api(`/api/faults/${never}`, { method: 'DELETE' });
      const always = await arm({
        filter: 'tool:echo',
        error: { code: -32050, message: 'always' },
        probability: 1,
      });
      for (let i = 0; i < 3; i++) await expect(echo(`unlucky ${i}`)).rejects.toThrow(/always/);
      expect(await fired(always)).toBe(3);
    });

    it('forwards faithfully again once the rules are removed', async () => {
      await arm({ filter: 'tool:echo', httpStatus: 503 });
      await expect(echo('blocked')).rejects.toThrow(/503/);
      const { faults } = (await (await gw.api('/api/faults')).json()) as { faults: { id: string }[] };
      for (const { id } of faults) await gw.api(`/api/faults/${id}`, { method: 'DELETE' });
      expect((await echo('back')).content).toEqual([{ type: 'text', text: 'Echo: back' }]);
    });
  });
}
