import type { Context, MiddlewareHandler } from 'hono';
import type { Identity } from '../auth/identity.js';
import type { AuditTrail } from './audit-trail.js';
import { REST_ACTIONS, type RestAction } from './rest-actions.js';

/** The outcome a status tells: 403 is a refusal (a role short of the act), any other error a failure. */
function outcomeOf(status: number): 'ok' | 'refused' | 'failed' {
  if (status < 400) return 'ok';
  return status === 403 ? 'refused' : 'failed';
}

/** The answer's JSON, when it is small JSON (never a stream such as an export). */
async function answerJson(res: Response): Promise<Record<string, unknown>> {
  if (!res.headers.get('content-type')?.includes('application/json')) return {};
  try {
    const body = (await res.clone().json()) as unknown;
    return body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

async function targetOf(c: Context, act: RestAction, match: RegExpMatchArray): Promise<string | null> {
  if (match[1] !== undefined) {
    try {
      return decodeURIComponent(match[1]);
    } catch {
      return match[1];
    }
  }
  return act.target ? await act.target({ query: (n) => c.req.query(n), json: () => c.req.json() }) : null;
}

/**
 * Audits the REST API's control-plane acts (REST_ACTIONS) after they are answered: who (the principal the
 * API guard set), from where, what, and how it ended, 403 refusals included. Requests that never got a
 * principal (401, 429) are not acts of anyone; their bursts are audited by the auth limiter.
 */
export function restAudit(
  audit: AuditTrail,
  addressOf: (c: Context) => string | undefined,
): MiddlewareHandler {
  return async function auditRest(c, next) {
    await next();
    const act = REST_ACTIONS.find((a) => a.method === c.req.method && a.path.test(c.req.path));
    if (!act) return;
    const principal = c.get('principal') as Identity | undefined;
    if (!principal) return;
    const match = c.req.path.match(act.path) as RegExpMatchArray;
    const outcome = outcomeOf(c.res.status);
    const answer = act.method === 'GET' ? {} : await answerJson(c.res);
    const detail =
      outcome === 'ok'
        ? act.detail?.(answer)
        : typeof answer.error === 'string'
          ? answer.error
          : `HTTP ${c.res.status}`;
    audit.record({
      actor: principal,
      source: sourceAddress(addressOf(c)),
      action: act.action,
      target: await targetOf(c, act, match),
      outcome,
      ...(detail === undefined ? {} : { detail }),
    });
  };
}

/** An IPv4 client of a dual-stack socket shows as ::ffff:a.b.c.d; the log names it as a.b.c.d. */
export function sourceAddress(address: string | undefined): string {
  return address?.replace(/^::ffff:/i, '') ?? 'unknown';
}
