import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, TEST_TOKEN, type TestGateway } from '../helpers/gateway.js';
import { freePort } from '../helpers/ports.js';
import { rawPost } from '../helpers/raw-socket.js';

const MB = 1024 * 1024;
const SERVER_MEMORY = fileURLToPath(
  new URL('../../node_modules/@modelcontextprotocol/server-memory/dist/index.js', import.meta.url),
);

/**
 * A body over the limit is answered 413 and the client can read that answer: the gateway keeps reading
 * (and discarding) the rest of the body before it closes, so the client never hits EPIPE or a reset.
 */
describe('oversized request bodies', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    const deadPort = await freePort();
    gw = await startTestGateway({
      servers: {
        dead: { type: 'http', url: `http://127.0.0.1:${deadPort}/mcp` },
        // A stdio server: its HTTP side gets the body only after the proxy has checked its size.
        memory: { type: 'stdio', command: process.execPath, args: [SERVER_MEMORY] },
      },
    });
  });

  afterAll(async () => {
    await gw?.stop();
  });

  it.each([
    ['declared with Content-Length', false],
    ['sent chunked', true],
  ])(
    'answers a 50 MB proxy POST %s with a readable JSON-RPC 413, ten times in a row',
    async (_, chunked) => {
      for (let i = 0; i < 10; i++) {
        const exchange = await rawPost(gw.proxyUrl('dead'), { bytes: 50 * MB, chunked });
        expect(exchange.status, exchange.response.slice(0, 300)).toBe(413);
        expect(exchange.writeError).toBeNull();
        expect(exchange.response).toMatch(/connection: close/i);
        expect(exchange.response).toContain('"jsonrpc":"2.0"');
        expect(exchange.response).toContain('--max-body-mb');
      }
    },
    120_000,
  );

  it('answers a 50 MB POST to a stdio server with a readable JSON-RPC 413', async () => {
    for (let i = 0; i < 3; i++) {
      const exchange = await rawPost(gw.proxyUrl('memory'), { bytes: 50 * MB, chunked: i % 2 === 1 });
      expect(exchange.status, exchange.response.slice(0, 300)).toBe(413);
      expect(exchange.writeError).toBeNull();
      expect(exchange.response).toContain('"jsonrpc":"2.0"');
    }
  }, 60_000);

  it.each(['/api/servers/config', '/gateway/mcp'])(
    'answers a 50 MB POST to %s with a readable 413, ten times in a row',
    async (path) => {
      for (let i = 0; i < 10; i++) {
        const exchange = await rawPost(`${gw.url}${path}`, {
          bytes: 50 * MB,
          headers: { authorization: `Bearer ${TEST_TOKEN}` },
        });
        expect(exchange.status, exchange.response.slice(0, 300)).toBe(413);
        expect(exchange.writeError).toBeNull();
      }
    },
    120_000,
  );
});
