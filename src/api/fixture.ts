import { Hono } from 'hono';
import { GatewayError } from '../core/errors.js';
import { buildFixture } from '../mock/collect.js';
import { FixtureError } from '../mock/fixture.js';
import type { LogReads } from '../store/log-reads.js';

/**
 * Message bytes one fixture may gather on the gateway, which builds it beside the traffic it proxies;
 * a larger session is exported with `mcp-gateway mock export`, which reads the store itself.
 */
const MAX_FIXTURE_BYTES = 32 * 1024 * 1024;

/**
 * `GET /api/sessions/:id/fixture` (`server=` when the id exists on several servers): the session as a
 * mock fixture, the file `mcp-gateway mock --from <file>` serves. Read through the caller's scoped reads,
 * so a token scoped to some servers gets no fixture of another's session (a 404, as for the session).
 */
export function fixtureRoutes(reads: LogReads): Hono {
  const app = new Hono();

  app.get('/:id/fixture', async (c) => {
    const sessionId = c.req.param('id');
    const server = c.req.query('server') || undefined;
    let built: Awaited<ReturnType<typeof buildFixture>>;
    try {
      built = await buildFixture(
        reads,
        { sessionId, ...(server ? { server } : {}) },
        { maxBytes: MAX_FIXTURE_BYTES },
      );
    } catch (error) {
      if (error instanceof FixtureError) throw new GatewayError(400, error.message);
      throw error;
    }
    if (!built) {
      throw new GatewayError(
        404,
        `No session "${sessionId}"${server ? ` on server "${server}"` : ''}; GET /api/sessions lists them.`,
      );
    }
    const name = `${built.fixture.server.name}-${sessionId}`.replace(/[^\w.-]+/g, '_').slice(0, 100);
    c.header('content-disposition', `attachment; filename="mock-${name}.json"`);
    c.header('cache-control', 'no-store');
    return c.json(built.fixture);
  });

  return app;
}
