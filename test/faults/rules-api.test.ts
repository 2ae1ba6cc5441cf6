import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/auth/roles.js';
import { TokenStore } from '../../src/auth/token-store.js';
import { MAX_FAULT_RULES } from '../../src/faults/rules.js';
import { startTestGateway, TEST_TOKEN, type TestGateway } from '../helpers/gateway.js';

type Json = Record<string, unknown>;

/** /api/faults and the fault tools of the management MCP server, on a real gateway. */
describe('fault rules over REST and MCP', () => {
  let gw: TestGateway;
  const tokens: Record<string, string> = { owner: TEST_TOKEN };
  beforeAll(async () => {
    gw = await startTestGateway({
      healthInterval: 0,
      servers: {
        alpha: { type: 'http', url: 'http://127.0.0.1:9/mcp' },
        beta: { type: 'http', url: 'http://127.0.0.1:9/mcp' },
      },
    });
    const store = new TokenStore(gw.storageDir);
    const create = (name: string, role: Role, servers: string[] | null = null) =>
      store.create({ name, role, servers }).value;
    tokens.viewer = create('fault-viewer', 'viewer');
    tokens.operator = create('fault-operator', 'operator');
    tokens.betaOperator = create('beta-operator', 'operator', ['beta']);
  });
  afterAll(async () => {
    await gw?.stop();
  });

  const call = async (who: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${gw.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens[who]}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Json };
  };
  const add = (body: unknown, who = 'owner') => call(who, 'POST', '/api/faults', body);
  const list = async (who = 'owner') =>
    (await call(who, 'GET', '/api/faults')).body.faults as { id: string; filter: string }[];
  const clear = async () => {
    for (const rule of await list()) await call('owner', 'DELETE', `/api/faults/${rule.id}`);
  };

  it('adds, lists and removes a rule, exactly as the contract spells it', async () => {
    const added = await add({
      filter: 'method:tools/call tool:echo',
      delayMs: 250,
      error: { code: -32603, message: 'boom' },
      probability: 0.5,
    });
    expect(added.status).toBe(201);
    const fault = added.body.fault as Json;
    expect(fault).toMatchObject({
      filter: 'method:tools/call tool:echo',
      direction: null,
      delayMs: 250,
      error: { code: -32603, message: 'boom' },
      probability: 0.5,
      servers: null,
      createdBy: 'owner',
      fired: 0,
    });
    expect(await list()).toEqual([fault]);
    const removed = await call('owner', 'DELETE', `/api/faults/${fault.id}`);
    expect(removed).toEqual({ status: 200, body: { fault } });
    expect(await list()).toEqual([]);
    const again = await call('owner', 'DELETE', `/api/faults/${fault.id}`);
    expect(again.status).toBe(404);
    expect(again.body.error).toMatch(/No fault rule .* GET \/api\/faults lists/);
  });

  it('refuses bad rules with a 400 that says what to change, and keeps nothing', async () => {
    const cases: [unknown, RegExp][] = [
      [{ delayMs: 10 }, /"filter" is required/],
      [{ filter: 'method:tools/call' }, /must do something/],
      [{ filter: 'method:tools/call', delayMs: -5 }, /"delayMs" must be a whole number/],
      [{ filter: 'method:tools/call', delayMs: 10 * 60 * 1000 + 1 }, /"delayMs" must be/],
      [{ filter: 'method:tools/call', httpStatus: 200 }, /from 400 to 599/],
      [{ filter: 'method:tools/call', error: { code: 'x', message: 'm' } }, /"error" must be/],
      [{ filter: 'method:tools/call', error: { code: 1, message: '' } }, /"error.message"/],
      [{ filter: 'method:tools/call', cut: 'socket' }, /"cut" must be "connection"/],
      [
        { filter: 'method:tools/call', delayMs: 5, probability: 1.5 },
        /"probability" must be a number from 0 to 1/,
      ],
      [{ filter: 'method:tools/call', delayMs: 5, probability: -0.1 }, /"probability"/],
      [{ filter: 'method:tools/call', cut: 'connection', httpStatus: 503 }, /cannot come with/],
      [
        { filter: 'method:tools/call', httpStatus: 503, direction: 'server_to_client' },
        /client_to_server messages only/,
      ],
      [{ filter: 'method:tools/call', cut: 'stream', direction: 'c2s' }, /server_to_client/],
      [{ filter: 'method:tools/call', delayMs: 5, direction: 'up' }, /"direction" must be/],
      [{ filter: 'method:tools/call', delayMs: 5, colour: 'red' }, /Unknown field\(s\) "colour"/],
    ];
    for (const [body, message] of cases) {
      const answer = await add(body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error, JSON.stringify(body)).toMatch(message);
    }
    expect((await call('owner', 'POST', '/api/faults', [1])).status).toBe(400);
    expect(await list()).toEqual([]);
  });

  it('reports a bad filter as the filter API does: where, and what was meant', async () => {
    const typo = await add({ filter: 'methd:tools/call', delayMs: 5 });
    expect(typo.status).toBe(400);
    expect(typo.body).toMatchObject({ position: 0, length: 5, suggestion: 'method' });
    const stored = await add({ filter: 'method:tools/call duration>1s', delayMs: 5 });
    expect(stored.status).toBe(400);
    expect(stored.body.error).toMatch(/duration cannot be used in a rule/);
    expect(stored.body.position).toBe(18);
    expect(await list()).toEqual([]);
  });

  it(`keeps at most ${MAX_FAULT_RULES} rules`, async () => {
    for (let i = 0; i < MAX_FAULT_RULES; i++)
      expect((await add({ filter: '*', delayMs: 1 })).status).toBe(201);
    const over = await add({ filter: '*', delayMs: 1 });
    expect(over.status).toBe(409);
    expect(over.body.error).toMatch(/remove some/);
    await clear();
  });

  it('lets a viewer see the rules but not arm or remove one', async () => {
    const { body } = await add({ filter: 'method:ping', delayMs: 5 });
    const id = (body.fault as Json).id as string;
    expect((await list('viewer')).map((r) => r.id)).toEqual([id]);
    const refused = await add({ filter: '*', delayMs: 5 }, 'viewer');
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatch(/Adding a fault rule needs the operator role/);
    expect((await call('viewer', 'DELETE', `/api/faults/${id}`)).status).toBe(403);
    expect((await add({ filter: '*', delayMs: 5 }, 'operator')).status).toBe(201);
    await clear();
  });

  it("confines a scoped token's rules to its servers, and hides others' rules from it", async () => {
    const owners = await add({ filter: 'server:alpha', httpStatus: 503 });
    const scoped = await add({ filter: 'method:tools/call', httpStatus: 503 }, 'betaOperator');
    expect(scoped.status).toBe(201);
    expect(scoped.body.fault).toMatchObject({ servers: ['beta'], createdBy: 'beta-operator' });
    expect((await list('betaOperator')).map((r) => r.id)).toEqual([(scoped.body.fault as Json).id]);
    expect((await list()).length).toBe(2);
    const reach = await call('betaOperator', 'DELETE', `/api/faults/${(owners.body.fault as Json).id}`);
    expect(reach.status).toBe(404);
    expect((await list()).length).toBe(2);
    await clear();
  });

  it('audits adding and removing as fault.add and fault.remove, refusals included', async () => {
    const { body } = await add({ filter: 'method:tools/call', delayMs: 300 });
    const id = (body.fault as Json).id as string;
    await call('owner', 'DELETE', `/api/faults/${id}`);
    await add({ filter: '*', delayMs: 5 }, 'viewer');
    const audit = await call('owner', 'GET', '/api/audit?limit=50');
    const lines = (audit.body.data as Json[]).filter((e) => String(e.action).startsWith('fault.'));
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'fault.add',
          target: 'method:tools/call',
          outcome: 'ok',
          detail: `${id}: delay 300 ms`,
        }),
        expect.objectContaining({ action: 'fault.remove', target: id, outcome: 'ok' }),
        expect.objectContaining({ action: 'fault.add', actor: 'fault-viewer', outcome: 'refused' }),
      ]),
    );
  });

  it('offers the same rules as list_faults, add_fault and remove_fault, audited and scoped', async () => {
    const connect = async (token: string) => {
      const client = new Client({ name: 'fault-agent', version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`${gw.url}/gateway/mcp`), {
          requestInit: { headers: { authorization: `Bearer ${token}` } },
        }),
      );
      return client;
    };
    const agent = await connect(tokens.betaOperator as string);
    const added = await agent.callTool({
      name: 'add_fault',
      arguments: { filter: 'tool:echo', cut: 'connection' },
    });
    expect(added.isError).toBeFalsy();
    const fault = (added.structuredContent as Json).fault as Json;
    expect(fault).toMatchObject({ filter: 'tool:echo', cut: 'connection', servers: ['beta'] });
    const bad = await agent.callTool({ name: 'add_fault', arguments: { filter: 'tool:echo' } });
    expect(bad.isError).toBe(true);
    expect(JSON.stringify(bad.content)).toMatch(/must do something/);
    const listed = await agent.callTool({ name: 'list_faults', arguments: {} });
    expect(((listed.structuredContent as Json).faults as Json[]).map((f) => f.id)).toEqual([fault.id]);
    const removed = await agent.callTool({ name: 'remove_fault', arguments: { id: fault.id } });
    expect(removed.isError).toBeFalsy();
    await agent.close();

    const viewer = await connect(tokens.viewer as string);
    const refused = await viewer.callTool({ name: 'add_fault', arguments: { filter: '*', delayMs: 5 } });
    expect(refused.isError).toBe(true);
    await viewer.close();

    const audit = await call('owner', 'GET', '/api/audit?limit=50');
    const actions = (audit.body.data as Json[])
      .filter((e) => e.actor === 'beta-operator' && String(e.action).startsWith('fault.'))
      .map((e) => `${e.action} ${e.target} ${e.outcome}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        `fault.add tool:echo ok`,
        `fault.remove ${fault.id} ok`,
        'fault.add tool:echo failed',
      ]),
    );
  });
});
