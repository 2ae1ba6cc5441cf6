import pg from 'pg';
import { GatewayError } from '../core/errors.js';

/**
 * Whether a failed query failed because the database could not be reached, rather than because of what was
 * asked: no connection could be made (a socket error such as ECONNREFUSED, the pool's connect timeout), the
 * connection broke, or the server is starting, stopping or out of connections (SQLSTATE classes 08, 57P
 * and 53, PostgreSQL docs Appendix A).
 */
export function isStoreDown(error: unknown): boolean {
  if (error instanceof pg.DatabaseError) return /^(08|57P|53)/.test(error.code ?? '');
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return true;
  return /Connection terminated|timeout exceeded when trying to connect/i.test(
    (error as Error)?.message ?? '',
  );
}

/**
 * The store with every read and write that fails because PostgreSQL is down answering 503 with what
 * happened and what to check, instead of an internal error: the API, UI and MCP tools say so, and
 * proxied traffic (which never waits on the store) goes on. Other failures pass unchanged.
 */
export function reportingOutages<T extends object>(store: T, location: string): T {
  const down = (error: unknown) =>
    new GatewayError(
      503,
      `The PostgreSQL store at ${location} cannot be reached (${(error as Error).message || (error as { code?: string }).code}); ` +
        'traffic is still forwarded. Check that PostgreSQL runs and that --store points at it, then try again.',
    );
  const wrapped: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(store)) {
    if (typeof value !== 'function' || name === 'iterate') {
      wrapped[name] = value;
      continue;
    }
    wrapped[name] = (...args: unknown[]) => {
      const result = (value as (...a: unknown[]) => unknown)(...args);
      if (!(result instanceof Promise)) return result;
      return result.catch((error: unknown) => {
        throw isStoreDown(error) ? down(error) : error;
      });
    };
  }
  return wrapped as T;
}
