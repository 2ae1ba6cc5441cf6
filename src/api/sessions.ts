import { Hono } from 'hono';
import { GatewayError } from '../core/errors.js';
import type { LogReads } from '../store/log-reads.js';
import { sessionToJson } from '../store/summary-json.js';
import { jsonObject, RawJson } from './json-body.js';
import { bodiesParam, PAGE_BYTES_OF_BODIES, pagination, pagingParams } from './query-params.js';

/**
 * `/api/sessions`: MCP sessions, and the conversations capture grouped sessionless 2026-07-28 traffic into
 * (`sessionSource: "derived"`, ids `conv-…`; docs/capture.md), newest first (`server=`, `client=`, keyset
 * `cursor`), and
 * `/api/sessions/:id`: one session with its timeline, oldest first, paged by `cursor` (a record id);
 * `fields=summary` leaves out each record's message and headers.
 * The timeline holds the session's messages plus stderr lines and gateway notes its server produced
 * meanwhile outside any session.
 */
export function sessionsRoutes(reads: LogReads): Hono {
  const app = new Hono();

  app.get('/', async (c) => {
    const { limit, cursor } = pagingParams(c, 50);
    const page = await reads.sessions(
      {
        server: c.req.query('server') || undefined,
        client: c.req.query('client') || undefined,
        limit,
        cursor,
      },
      c.req.raw.signal,
    );
    return c.json({
      data: page.sessions.map(sessionToJson),
      pagination: pagination(page.sessions.length, limit, page.hasMore, page.nextCursor),
    });
  });

  app.get('/:id', async (c) => {
    const sessionId = c.req.param('id');
    const server = c.req.query('server') || undefined;
    const sessions = await reads.session(sessionId, server, c.req.raw.signal);
    const session = sessions[0];
    if (!session) {
      throw new GatewayError(
        404,
        `No session "${sessionId}"${server ? ` on server "${server}"` : ''}; GET /api/sessions lists them.`,
      );
    }
    if (sessions.length > 1 && server === undefined) {
      throw new GatewayError(
        400,
        `Session "${sessionId}" exists on several servers (${sessions.map((s) => s.server).join(', ')}); add server=<name>.`,
      );
    }
    const { limit, cursor } = pagingParams(c, 500);
    const bodies = bodiesParam(c.req.query('fields'));
    const timeline = await reads.timelineText(
      { sessionId, server: session.server, limit, cursor, bodies, maxBytes: PAGE_BYTES_OF_BODIES },
      c.req.raw.signal,
    );
    return jsonObject(c, {
      session: sessionToJson(session),
      data: new RawJson(timeline.bytes),
      pagination: pagination(timeline.count, limit, timeline.hasMore, timeline.nextCursor),
    });
  });

  return app;
}
