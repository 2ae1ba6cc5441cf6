import { type Context, Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Role } from '../auth/roles.js';
import type { Scope } from '../auth/scope.js';
import type { FeedMode, LiveFeed } from './live-feed.js';
import { bodiesParam, integerParam, requestFilter } from './query-params.js';

/** A comment line now and then keeps proxies and browsers from closing an idle stream. */
const HEARTBEAT_MS = 15_000;
/** How often an open stream checks that its token still holds: a revoked token's feed ends this soon. */
export const RIGHT_CHECK_MS = 500;

/** Who a stream is for: the servers it may see, and whether its right (token, session) still holds. */
export interface StreamAccess {
  scope: Scope;
  role: Role;
  stillValid: () => boolean;
}

const EVERYONE: StreamAccess = { scope: null, role: 'admin', stillValid: () => true };

/**
 * `GET /api/events?filter=...`: the live feed over Server-Sent Events (see live-events.ts for the event
 * types). The filter is checked before the stream opens, so a bad one is an ordinary 400. A client that
 * reconnects with Last-Event-ID (or `since=<record id>`) gets what it missed. `activity=true` announces
 * new records as counts instead of sending them (live views of summaries refetch on those);
 * `fields=summary` sends records without their message and headers.
 */
export function eventsRoutes(feed: LiveFeed, access: (c: Context) => StreamAccess = () => EVERYONE): Hono {
  const app = new Hono();
  app.get('/', (c) => {
    const filter = requestFilter(c);
    const resume = integerParam(
      c.req.header('last-event-id') ?? c.req.query('since'),
      'since',
      0,
      Number.MAX_SAFE_INTEGER,
    );
    const mode: FeedMode =
      c.req.query('activity') === 'true'
        ? 'activity'
        : bodiesParam(c.req.query('fields'))
          ? 'records'
          : 'summaries';
    const { scope, role, stillValid } = access(c);
    return streamSSE(c, async (stream) => {
      const subscriber = await feed.subscribe({
        scope,
        role,
        filter,
        filterText: c.req.query('filter') ?? '',
        send: (event, id) => stream.writeSSE({ event: event.type, data: JSON.stringify(event), id }),
        mode,
        resumeFrom: resume,
      });
      stream.onAbort(() => subscriber.close());
      // The client may have gone while the feed found its starting point.
      if (stream.aborted) subscriber.close();
      const heartbeat = setInterval(() => {
        stream.write(': keep-alive\n\n').catch(() => subscriber.close());
      }, HEARTBEAT_MS);
      // A stream outlives the request that authenticated it: revoking or expiring its token ends it.
      const rightCheck = setInterval(() => {
        if (!stillValid()) subscriber.close();
      }, RIGHT_CHECK_MS);
      try {
        await subscriber.closed;
      } finally {
        clearInterval(heartbeat);
        clearInterval(rightCheck);
      }
    });
  });
  return app;
}
