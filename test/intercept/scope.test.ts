import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, startTwoServers, type TwoServers } from '../auth/two-servers.js';
import { connectClient, HOST_WITHOUT_ROOTS } from '../helpers/mcp-client.js';

/** Who may set breakpoints and act on held messages, and what a token scoped to one server sees of them. */

let ctx: TwoServers;
beforeAll(async () => {
  ctx = await startTwoServers();
}, 90_000);
afterAll(async () => {
  await ctx?.gw.stop();
});

// biome-ignore lint/suspicious/noExplicitAny: test answers are read as loosely as a script would
const jsonOf = async (response: Response): Promise<any> => response.json();

const post = (body: unknown): RequestInit => ({ method: 'POST', body: JSON.stringify(body) });

async function heldIds(who: 'owner' | 'betaOperator'): Promise<{ id: number; server: string }[]> {
  const response = await as(ctx, who, '/api/intercepts/held');
  expect(response.status).toBe(200);
  return (await jsonOf(response)).held;
}

async function waitHeld(server: string): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const found = (await heldIds('owner')).find((h) => h.server === server);
    if (found) return found.id;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`nothing of ${server} was held`);
}

describe('breakpoints and roles', () => {
  it('let a viewer read the rules but neither set one nor read or release held messages', async () => {
    expect((await as(ctx, 'viewer', '/api/intercepts')).status).toBe(200);
    const refused = await as(ctx, 'viewer', '/api/intercepts', post({ filter: 'tool:echo' }));
    expect(refused.status).toBe(403);
    expect((await jsonOf(refused)).error).toMatch(/Adding a breakpoint needs the operator role/);
    expect((await as(ctx, 'viewer', '/api/intercepts/held')).status).toBe(403);
    expect((await as(ctx, 'viewer', '/api/intercepts/held/1/forward', post({}))).status).toBe(403);
  });
});

describe('breakpoints and server scope', () => {
  it("limit a scoped operator's rule to its servers, and hide the rest from it", async () => {
    const ownRule = await jsonOf(
      await as(ctx, 'betaOperator', '/api/intercepts', post({ filter: 'tool:echo' })),
    );
    expect(ownRule.servers).toEqual(['beta']);
    const ownerRule = await jsonOf(
      await as(ctx, 'owner', '/api/intercepts', post({ filter: 'server:alpha tool:echo' })),
    );
    const seen = (await jsonOf(await as(ctx, 'betaOperator', '/api/intercepts'))).rules.map(
      (r: { id: string }) => r.id,
    );
    expect(seen).toEqual([ownRule.id]);
    const removeOthers = await as(ctx, 'betaOperator', `/api/intercepts/${ownerRule.id}`, {
      method: 'DELETE',
    });
    expect(removeOthers.status).toBe(404);

    // An alpha call is held by the owner's rule; the beta operator neither sees nor releases it.
    const alpha = await connectClient(ctx.gw.proxyUrl('alpha'), 'alpha-scope', HOST_WITHOUT_ROOTS);
    try {
      const answer = alpha.client.callTool({ name: 'echo', arguments: { message: 'alpha held' } });
      const id = await waitHeld('alpha');
      expect(await heldIds('betaOperator')).toEqual([]);
      const refused = await as(ctx, 'betaOperator', `/api/intercepts/held/${id}/forward`, post({}));
      expect(refused.status).toBe(404);
      expect((await as(ctx, 'owner', `/api/intercepts/held/${id}/forward`, post({}))).status).toBe(200);
      expect(((await answer) as CallToolResult).content[0]).toMatchObject({ text: 'Echo: alpha held' });
    } finally {
      await alpha.close();
    }

    // The beta operator's rule holds beta's call, which it may release.
    const beta = await connectClient(ctx.gw.proxyUrl('beta'), 'beta-scope', HOST_WITHOUT_ROOTS);
    try {
      const answer = beta.client.callTool({ name: 'echo', arguments: { message: 'beta held' } });
      const id = await waitHeld('beta');
      expect((await heldIds('betaOperator')).map((h) => h.id)).toEqual([id]);
      expect((await as(ctx, 'betaOperator', `/api/intercepts/held/${id}/forward`, post({}))).status).toBe(
        200,
      );
      expect(((await answer) as CallToolResult).content[0]).toMatchObject({ text: 'Echo: beta held' });
    } finally {
      await beta.close();
    }
  });
});
