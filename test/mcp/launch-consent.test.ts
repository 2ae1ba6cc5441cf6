import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  type CallToolResult,
  type ElicitRequest,
  ElicitRequestSchema,
  type ElicitResult,
} from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiJson } from '../helpers/api-json.js';
import { startTestGateway, TEST_TOKEN, type TestGateway } from '../helpers/gateway.js';
import { JSON_HEADERS, rpc } from '../helpers/http.js';
import { connectClient } from '../helpers/mcp-client.js';
import { everythingCommand, serverStatus, waitFor, waitForState } from '../helpers/stdio.js';

const TOUCH = '/usr/bin/touch';

interface Pending {
  name: string;
  action: 'add' | 'update';
  launch: { commandLine: string; envNames: string[]; cwd: string | null };
  requestedBy: { client: string | null };
}

/**
 * Nothing the management MCP server is asked to run starts without the person's consent: a client that
 * can ask its user (elicitation) gets a confirmation form; any other request waits for the owner's
 * approval in the REST API / web UI.
 */
describe('management MCP server: starting a program needs consent', () => {
  let gw: TestGateway;
  let scratch: string;
  let asking: Client;
  let plain: Client;
  /** What the asking client's user answers next, and every elicitation it received. */
  let answer: ElicitResult = { action: 'decline' };
  const asked: ElicitRequest['params'][] = [];

  const connect = async (client: Client) => {
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${gw.url}/gateway/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${TEST_TOKEN}` } },
      }),
    );
    return client;
  };
  const call = async (client: Client, name: string, args: Record<string, unknown>) =>
    (await client.callTool({ name, arguments: args })) as CallToolResult;
  const text = (result: CallToolResult) => (result.content[0] as { text: string }).text;
  const pendingList = async () => (await apiJson<{ data: Pending[] }>(gw, '/api/servers/pending')).data;
  /** Long enough for a started process to have run `touch`. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 700));

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'consent-'));
    gw = await startTestGateway();
    asking = new Client(
      { name: 'asking-agent', version: '2.0.0' },
      { capabilities: { elicitation: { form: {} } } },
    );
    asking.setRequestHandler(ElicitRequestSchema, async (request) => {
      asked.push(request.params);
      return answer;
    });
    await connect(asking);
    plain = await connect(new Client({ name: 'plain-agent', version: '1.0.0' }));
  });

  afterAll(async () => {
    await asking?.close();
    await plain?.close();
    await gw?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('asks a client that can elicit, showing the exact command line, and starts it once accepted', async () => {
    answer = { action: 'accept', content: { confirm: true } };
    const result = await call(asking, 'add_server', {
      name: 'everything',
      type: 'stdio',
      ...everythingCommand,
      env: { EVERYTHING_TOKEN: 'secret-value-123456' },
      cwd: scratch,
    });
    expect(result.isError, text(result)).toBeFalsy();
    const request = asked.at(-1);
    expect(request?.message).toContain(
      `Command line: ${everythingCommand.command} ${everythingCommand.args.join(' ')}`,
    );
    expect(request?.message).toContain('Environment variables set: EVERYTHING_TOKEN');
    expect(request?.message).toContain(`Working directory: ${scratch}`);
    expect(request?.message).not.toContain('secret-value-123456');
    expect(request).toMatchObject({
      requestedSchema: { properties: { confirm: { type: 'boolean' } }, required: ['confirm'] },
    });
    expect(result.structuredContent).toMatchObject({ status: 'added', server: { name: 'everything' } });

    await waitForState(gw, 'everything', 'running');
    const client = await connectClient(gw.proxyUrl('everything'), 'after-consent');
    const echoed = await client.client.callTool({ name: 'echo', arguments: { message: 'consented' } });
    await client.close();
    expect(JSON.stringify(echoed)).toContain('Echo: consented');
  });

  it('registers and runs nothing when the user declines or dismisses the form', async () => {
    for (const [name, reply] of [
      ['declined', { action: 'decline' }],
      ['dismissed', { action: 'cancel' }],
      ['unchecked', { action: 'accept', content: { confirm: false } }],
    ] as const) {
      answer = reply;
      const marker = join(scratch, `${name}.marker`);
      const result = await call(asking, 'add_server', {
        name,
        type: 'stdio',
        command: TOUCH,
        args: [marker],
      });
      expect(asked.at(-1)?.message).toContain(`Command line: ${TOUCH} ${marker}`);
      expect(result.isError).toBe(true);
      expect(text(result)).toContain('nothing was registered or started');
      await settle();
      expect(existsSync(marker), `${name}: the command ran`).toBe(false);
      expect(gw.gateway.registry.get(name)).toBeUndefined();
    }
    expect(await pendingList()).toEqual([]);
  });

  it('asks a 2025-06-18 client too (an empty elicitation capability means form mode)', async () => {
    const legacy = new Client(
      { name: 'legacy-agent', version: '0.9.0' },
      { capabilities: { elicitation: {} } },
    );
    const seen: string[] = [];
    legacy.setRequestHandler(ElicitRequestSchema, async (request) => {
      seen.push(request.params.message);
      return { action: 'accept', content: { confirm: true } };
    });
    await connect(legacy);
    const marker = join(scratch, 'legacy.marker');
    const result = await call(legacy, 'add_server', { name: 'legacy', command: TOUCH, args: [marker] });
    expect(result.structuredContent, text(result)).toMatchObject({ status: 'added' });
    expect(seen[0]).toContain(`Command line: ${TOUCH} ${marker}`);
    await waitFor('the confirmed command to run', () => existsSync(marker));
    await legacy.close();
    await apiJson(gw, '/api/servers/config/legacy', 200, { method: 'DELETE' });
  });

  it('holds a launch from a client that cannot ask until the owner approves it', async () => {
    const marker = join(scratch, 'approved.marker');
    const result = await call(plain, 'add_server', { name: 'toucher', command: TOUCH, args: [marker] });
    expect(result.isError, text(result)).toBeFalsy();
    expect(result.structuredContent).toMatchObject({
      status: 'awaiting-approval',
      approveAt: `${gw.url}/ui/servers?pending=toucher`,
    });
    expect(text(result)).toContain("owner must approve it in the gateway's web UI");
    await settle();
    expect(existsSync(marker)).toBe(false);
    expect(gw.gateway.registry.get('toucher')).toBeUndefined();

    const [held] = await pendingList();
    expect(held).toMatchObject({
      name: 'toucher',
      action: 'add',
      launch: { commandLine: `${TOUCH} ${marker}`, envNames: [], cwd: null },
      requestedBy: { client: 'plain-agent 1.0.0' },
    });
    expect(statSync(join(gw.storageDir, 'pending.json')).mode & 0o777).toBe(0o600);

    await apiJson(gw, '/api/servers/pending/toucher/approve', 200, { method: 'POST' });
    await waitFor('the approved command to run', () => existsSync(marker));
    expect(gw.gateway.registry.get('toucher')).toMatchObject({ command: TOUCH, args: [marker] });
    expect(await pendingList()).toEqual([]);
    await apiJson(gw, '/api/servers/config/toucher', 200, { method: 'DELETE' });
  });

  it('discards a rejected launch', async () => {
    const marker = join(scratch, 'rejected.marker');
    await call(plain, 'add_server', { name: 'rejected', type: 'stdio', command: TOUCH, args: [marker] });
    expect((await pendingList()).map((p) => p.name)).toEqual(['rejected']);
    // Approval names the request the owner reviewed; any other one is refused.
    const stale = await apiJson<{ error: string }>(gw, '/api/servers/pending/rejected/approve', 409, {
      method: 'POST',
      body: JSON.stringify({ id: 'an-older-request' }),
    });
    expect(stale.error).toContain('changed since it was shown');
    expect(gw.gateway.registry.get('rejected')).toBeUndefined();
    await apiJson(gw, '/api/servers/pending/rejected/reject', 200, { method: 'POST' });
    expect(await pendingList()).toEqual([]);
    await settle();
    expect(existsSync(marker)).toBe(false);
    expect(gw.gateway.registry.get('rejected')).toBeUndefined();
    const again = await apiJson<{ error: string }>(gw, '/api/servers/pending/rejected/approve', 404, {
      method: 'POST',
    });
    expect(again.error).toContain('No launch of "rejected" is awaiting approval');
  });

  it('holds a changed command too, while the server keeps running as it was', async () => {
    const before = await serverStatus(gw, 'everything');
    const marker = join(scratch, 'changed.marker');
    const result = await call(plain, 'update_server', { name: 'everything', command: TOUCH, args: [marker] });
    expect(result.structuredContent).toMatchObject({ status: 'awaiting-approval' });
    const [held] = await pendingList();
    expect(held).toMatchObject({ name: 'everything', action: 'update' });
    expect(held?.launch.commandLine).toBe(`${TOUCH} ${marker}`);

    await settle();
    expect(existsSync(marker)).toBe(false);
    expect(gw.gateway.registry.get('everything')).toMatchObject(everythingCommand);
    const after = await serverStatus(gw, 'everything');
    expect(after).toMatchObject({ state: 'running', pid: before.pid });
    const client = await connectClient(gw.proxyUrl('everything'), 'still-running');
    const echoed = await client.client.callTool({ name: 'echo', arguments: { message: 'unchanged' } });
    await client.close();
    expect(JSON.stringify(echoed)).toContain('Echo: unchanged');

    // A second request for the same name cannot swap the command the owner is looking at.
    const swap = await call(plain, 'update_server', { name: 'everything', args: ['other'] });
    expect(swap.isError).toBe(true);
    expect(text(swap)).toContain('already awaiting');
    await apiJson(gw, '/api/servers/pending/everything/reject', 200, { method: 'POST' });
  });

  it('changes that start no program apply at once', async () => {
    const result = await call(plain, 'update_server', { name: 'everything', timeout: 45_000 });
    expect(result.structuredContent).toMatchObject({ status: 'updated' });
    expect(gw.gateway.registry.get('everything')).toMatchObject({ timeout: 45_000 });
    const http = await call(plain, 'add_server', { name: 'remote', url: 'http://127.0.0.1:9/mcp' });
    expect(http.structuredContent).toMatchObject({
      status: 'added',
      server: { name: 'remote', type: 'http' },
    });
  });

  it('infers the type from url or command, and says what is missing when neither is given', async () => {
    const byUrl = await call(plain, 'add_server', {
      name: 'by-url',
      url: 'http://127.0.0.1:9/mcp',
      headers: { 'X-Key': 'value' },
    });
    expect(byUrl.isError, text(byUrl)).toBeFalsy();
    expect(gw.gateway.registry.get('by-url')).toMatchObject({ type: 'http', headers: { 'X-Key': 'value' } });

    const byCommand = await call(plain, 'add_server', { name: 'by-command', command: TOUCH, args: ['x'] });
    expect(byCommand.structuredContent).toMatchObject({
      status: 'awaiting-approval',
      pending: { launch: { commandLine: `${TOUCH} x` } },
    });
    await apiJson(gw, '/api/servers/pending/by-command/reject', 200, { method: 'POST' });

    const neither = await call(plain, 'add_server', { name: 'neither' });
    expect(neither.isError).toBe(true);
    expect(text(neither)).toContain('a "url"');
    expect(text(neither)).toContain('a "command"');
  });

  it('holds launches asked for by plain JSON-RPC posts without a session', async () => {
    const marker = join(scratch, 'stateless.marker');
    const response = await fetch(`${gw.url}/g/mcp`, {
      method: 'POST',
      headers: { ...JSON_HEADERS, authorization: `Bearer ${TEST_TOKEN}`, 'user-agent': 'curl/8.0' },
      body: rpc('tools/call', 7, {
        name: 'add_server',
        arguments: { name: 'scripted', command: TOUCH, args: [marker] },
      }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    const body = (await response.json()) as { result: CallToolResult };
    expect(body.result.structuredContent).toMatchObject({ status: 'awaiting-approval' });
    const held = (await pendingList()).find((p) => p.name === 'scripted');
    expect(held).toMatchObject({ requestedBy: { client: null, userAgent: 'curl/8.0' } });
    await settle();
    expect(existsSync(marker)).toBe(false);
    await apiJson(gw, '/api/servers/pending/scripted/reject', 200, { method: 'POST' });
  });

  it('the owner registers commands over REST directly: that is the owner acting', async () => {
    const marker = join(scratch, 'owner.marker');
    await gw.register('owners', { type: 'stdio', command: TOUCH, args: [marker] });
    await waitFor("the owner's command to run", () => existsSync(marker));
    await apiJson(gw, '/api/servers/config/owners', 200, { method: 'DELETE' });
  });

  it('ends a session on DELETE; the ended session is then unknown (404)', async () => {
    const client = await connect(new Client({ name: 'short-lived', version: '1.0.0' }));
    const transport = client.transport as StreamableHTTPClientTransport;
    const sessionId = transport.sessionId as string;
    expect(sessionId).toBeTruthy();
    await transport.terminateSession();
    const response = await fetch(`${gw.url}/gateway/mcp`, {
      method: 'POST',
      headers: { ...JSON_HEADERS, authorization: `Bearer ${TEST_TOKEN}`, 'mcp-session-id': sessionId },
      body: rpc('tools/list', 1),
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      error: { message: expect.stringContaining('initialize') },
    });
    await client.close();
  });
});

describe('management MCP server: tool annotations', () => {
  let gw: TestGateway;
  let agent: Client;

  beforeAll(async () => {
    gw = await startTestGateway();
    agent = new Client({ name: 'agent', version: '1.0.0' });
    await agent.connect(
      new StreamableHTTPClientTransport(new URL(`${gw.url}/g/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${TEST_TOKEN}` } },
      }),
    );
  });

  afterAll(async () => {
    await agent?.close();
    await gw?.stop();
  });

  it('tells clients which tools only read, which destroy, and which reach outside the gateway', async () => {
    const { tools } = await agent.listTools();
    const hints = Object.fromEntries(tools.map((tool) => [tool.name, tool.annotations]));
    for (const name of ['list_servers', 'search_records', 'get_record', 'get_session', 'get_stats']) {
      expect(hints[name], name).toMatchObject({ readOnlyHint: true, openWorldHint: false });
    }
    for (const name of ['add_server', 'update_server', 'remove_server', 'restart_server', 'clear_records']) {
      expect(hints[name], name).toMatchObject({ readOnlyHint: false });
    }
    expect(hints.remove_server).toMatchObject({ destructiveHint: true });
    expect(hints.clear_records).toMatchObject({ destructiveHint: true });
    expect(hints.add_server).toMatchObject({ destructiveHint: false, openWorldHint: true });
    expect(tools.every((tool) => tool.annotations !== undefined)).toBe(true);
  });
});
