import type { Context } from 'hono';
import { Hono } from 'hono';
import { entryToJson } from '../audit/audit-entry.js';
import type { AuditTrail } from '../audit/audit-trail.js';
import type { Identity } from '../auth/identity.js';
import { requireRole } from '../auth/roles.js';
import { GatewayError } from '../core/errors.js';
import { orderParam, pagination, pagingParams } from './query-params.js';

const OUTCOMES = ['ok', 'refused', 'failed'];

/** `since=`/`until=`: an ISO 8601 time (2026-11-30T12:00:00Z, or a date) or ms since epoch. */
function timeParam(c: Context, name: string): number | undefined {
  const raw = c.req.query(name);
  if (raw === undefined || raw === '') return undefined;
  const ms = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isFinite(ms)) {
    throw new GatewayError(
      400,
      `"${name}" must be a time such as 2026-11-30T12:00:00Z (or ms since 1970); got "${raw}".`,
    );
  }
  return ms;
}

/** A text filter: absent or empty means "any". */
const textParam = (c: Context, name: string) => c.req.query(name) || undefined;

/**
 * `GET /api/audit`: the control-plane audit log, newest first (order=asc for oldest), filtered by `actor=`,
 * `action=` (a prefix: `server.` is every server act), `target=`, `outcome=` (ok, refused, failed),
 * `since=`/`until=`, and paged like /api/logs: `limit=`, then `cursor=` from `pagination.nextCursor`.
 * Admins only: the log says who did what, from where.
 */
export function auditRoutes(audit: AuditTrail): Hono {
  const app = new Hono();
  app.get('/', (c) => {
    requireRole((c.get as (key: string) => Identity)('principal'), 'admin', 'Reading the audit log');
    if (!audit.query) {
      throw new GatewayError(
        503,
        'This gateway keeps no audit log; start it with a storage dir to keep one.',
      );
    }
    const { limit, cursor } = pagingParams(c);
    const outcome = textParam(c, 'outcome');
    if (outcome !== undefined && !OUTCOMES.includes(outcome)) {
      throw new GatewayError(400, `"outcome" must be one of ${OUTCOMES.join(', ')}; got "${outcome}".`);
    }
    const page = audit.query({
      actor: textParam(c, 'actor'),
      action: textParam(c, 'action'),
      target: textParam(c, 'target'),
      outcome,
      since: timeParam(c, 'since'),
      until: timeParam(c, 'until'),
      cursor,
      limit,
      order: orderParam(c.req.query('order')),
    });
    const last = page.entries.at(-1);
    return c.json(
      {
        data: page.entries.map(entryToJson),
        pagination: pagination(
          page.entries.length,
          limit,
          page.hasMore,
          page.hasMore && last ? String(last.seq) : null,
        ),
      },
      200,
      { 'cache-control': 'no-store' },
    );
  });
  return app;
}
