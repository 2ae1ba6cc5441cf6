import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SdkServer, startSdkServer } from '../fixtures/sdk-server.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { connectClient } from '../helpers/mcp-client.js';

describe('REST: /api/servers/config', () => {
  let gw: TestGateway;
  let first: SdkServer;
  let second: SdkServer;

  beforeAll(async () => {
    [first, second] = await Promise.all([startSdkServer({ json: true }), startSdkServer({ json: true })]);
    gw = await startTestGateway();
  });

  afterAll(async () => {
    await gw?.stop();
    await Promise.all([first?.stop(), second?.stop()]);
  });

  const send = async (method: string, path: string, body?: unknown) => {
    const response = await gw.api(path, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('adds a server, lists it with its proxy URL and masked headers, and proxies to it at once', async () => {
    const created = await send('POST', '/api/servers/config', {
      name: 'first',
      type: 'http',
      url: first.url,
      headers: { Authorization: 'Bearer a-very-secret-token-1234', 'X-Small': 'abc' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'first',
      type: 'http',
      url: first.url,
      proxyUrl: `${gw.url}/s/first/mcp`,
      headers: { Authorization: '****1234', 'X-Small': '****' },
    });
    const listed = await send('GET', '/api/servers/config');
    expect(listed.body.servers).toEqual([created.body]);
    expect(JSON.stringify(listed.body)).not.toContain('a-very-secret-token');
    const client = await connectClient(gw.proxyUrl('first'));
    expect(
      JSON.stringify(await client.client.callTool({ name: 'echo', arguments: { message: 'one' } })),
    ).toContain('Echo: one');
    await client.close();
  });

  it('keeps a secret when an update sends its masked form back, and re-routes the proxy', async () => {
    const updated = await send('PUT', '/api/servers/config/first', {
      type: 'http',
      url: second.url,
      headers: { Authorization: '****1234', 'X-Small': 'changed' },
    });
    expect(updated.status).toBe(200);
    const stored = JSON.parse(readFileSync(join(gw.storageDir, 'mcp.json'), 'utf8'));
    expect(stored.mcpServers.first.headers).toEqual({
      Authorization: 'Bearer a-very-secret-token-1234',
      'X-Small': 'changed',
    });
    const before = second.received.length;
    const client = await connectClient(gw.proxyUrl('first'));
    await client.close();
    expect(second.received.length).toBeGreaterThan(before);
    expect(second.received.at(-1)?.headers.authorization).toBe('Bearer a-very-secret-token-1234');
  });

  it.each([
    [
      'POST',
      '/api/servers/config',
      { type: 'http', url: 'http://localhost:1/mcp' },
      400,
      'Give the server a "name"',
    ],
    [
      'POST',
      '/api/servers/config',
      { name: 'Bad Name', type: 'http', url: 'http://localhost:1/mcp' },
      400,
      'server name "Bad Name" is invalid',
    ],
    [
      'POST',
      '/api/servers/config',
      { name: 'config', type: 'http', url: 'http://localhost:1/mcp' },
      400,
      'server name "config" is reserved for the gateway\'s API (/api/servers/config): pick another, such as "config-server"',
    ],
    [
      'POST',
      '/api/servers/config',
      { name: 'x', type: 'http', url: 'ftp://nope' },
      400,
      'http:// or https://',
    ],
    ['POST', '/api/servers/config', { name: 'x', type: 'carrier-pigeon' }, 400, 'use "type": "http"'],
    [
      'POST',
      '/api/servers/config',
      { name: 'first', type: 'http', url: 'http://localhost:1/mcp' },
      409,
      'already exists',
    ],
    [
      'PUT',
      '/api/servers/config/ghost',
      { type: 'http', url: 'http://localhost:1/mcp' },
      404,
      'no server named "ghost"',
    ],
    [
      'PUT',
      '/api/servers/config/first',
      { name: 'other', type: 'http', url: 'http://localhost:1/mcp' },
      400,
      'Renaming is not supported',
    ],
    ['DELETE', '/api/servers/config/ghost', undefined, 404, 'registered: first'],
  ])('%s %s %j → %i', async (method, path, body, status, message) => {
    const response = await send(method, path, body);
    expect(response.status).toBe(status);
    expect(String(response.body.error)).toContain(message);
  });

  it('refuses a body that is not JSON', async () => {
    const response = await gw.api('/api/servers/config', { method: 'POST', body: 'name=first' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toContain('must be JSON');
  });

  it('follows hand edits of mcp.json, and refuses writes while the file is malformed', async () => {
    const path = join(gw.storageDir, 'mcp.json');
    const current = JSON.parse(readFileSync(path, 'utf8'));
    writeFileSync(
      path,
      JSON.stringify({ mcpServers: { ...current.mcpServers, byhand: { url: first.url } } }),
    );
    await expect
      .poll(async () => (await send('GET', '/api/servers/config')).body.servers, { timeout: 5000 })
      .toHaveLength(2);
    writeFileSync(path, '{ "mcpServers": ');
    await expect
      .poll(async () => (await send('GET', '/api/servers/config')).body.error, { timeout: 5000 })
      .toContain('not valid JSON');
    const refused = await send('POST', '/api/servers/config', {
      name: 'later',
      type: 'http',
      url: first.url,
    });
    expect(refused.status).toBe(409);
    expect(readFileSync(path, 'utf8')).toBe('{ "mcpServers": ');
    // The last good configuration is still in effect.
    const client = await connectClient(gw.proxyUrl('byhand'));
    await client.close();
  });

  it('deletes a server', async () => {
    writeFileSync(
      join(gw.storageDir, 'mcp.json'),
      JSON.stringify({ mcpServers: { first: { url: first.url } } }),
    );
    await expect
      .poll(async () => (await send('GET', '/api/servers/config')).body.error, { timeout: 5000 })
      .toBeNull();
    expect((await send('DELETE', '/api/servers/config/first')).body).toEqual({ deleted: 'first' });
    const response = await fetch(gw.proxyUrl('first'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(404);
  });
});
