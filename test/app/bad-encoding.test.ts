import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, TEST_TOKEN, type TestGateway } from '../helpers/gateway.js';
import { httpRequest, JSON_HEADERS, rpc } from '../helpers/http.js';

const BAD = '%E0%A4%A';

/** A path with broken percent-encoding is the client's mistake: 400 that says so, never a 500. */
describe('malformed percent-encoding in paths', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startTestGateway({ servers: { memory: { type: 'http', url: 'http://127.0.0.1:9/mcp' } } });
  });

  afterAll(async () => {
    await gw?.stop();
  });

  const auth = { authorization: `Bearer ${TEST_TOKEN}` };

  it.each([
    ['GET', `/ui/${BAD}`],
    ['GET', `/ui/assets/${BAD}.js`],
    ['GET', `/api/servers/config/${BAD}`],
    ['PUT', `/api/servers/config/${BAD}`],
    ['DELETE', `/api/servers/config/${BAD}`],
    ['GET', `/api/servers/${BAD}`],
    ['GET', `/api/logs/${BAD}`],
    ['GET', `/api/sessions/${BAD}`],
    ['GET', `/api/logs?filter=${BAD}`],
  ])('%s %s answers 400 naming the problem', async (method, path) => {
    const response = await httpRequest(`${gw.url}${path}`, {
      method,
      headers: { ...auth, 'content-type': 'application/json' },
      body: method === 'PUT' ? '{}' : undefined,
    });
    expect(response.status, response.body).toBeLessThan(500);
    if (path.includes(BAD) && !path.includes('?')) {
      expect(response.status, response.body).toBe(400);
      expect(response.body).toMatch(/percent-encod/i);
    }
  });

  it.each([`/s/${BAD}/mcp`, `/servers/${BAD}/mcp`])(
    'POST %s answers a JSON-RPC 400, not a 404 or 500',
    async (path) => {
      const response = await httpRequest(`${gw.url}${path}`, {
        method: 'POST',
        headers: JSON_HEADERS,
        body: rpc('tools/list', 3),
      });
      expect(response.status, response.body).toBe(400);
      const body = JSON.parse(response.body) as { jsonrpc: string; error: { message: string } };
      expect(body.jsonrpc).toBe('2.0');
      expect(body.error.message).toMatch(/percent-encod/i);
    },
  );
});
