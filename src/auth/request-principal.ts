import { AsyncLocalStorage } from 'node:async_hooks';
import type { Identity } from './identity.js';
import type { Scope } from './scope.js';

/**
 * Who the request being served acts for, for the decorators that scope reads and the registry: the
 * `/api/*` guard runs the rest of the request inside `asPrincipal`, and everything the handlers call
 * (reads on reader threads, streamed exports, the live feed's stream) sees it without being passed it.
 */
const current = new AsyncLocalStorage<Identity>();

export function asPrincipal<T>(identity: Identity, run: () => T): T {
  return current.run(identity, run);
}

/**
 * The scope of the request being served. Outside any request it throws rather than answer "all
 * servers": a scoped dependency reached without a principal is a bug, and failing closed shows it.
 */
export function requestScope(): Scope {
  const identity = current.getStore();
  if (!identity) throw new Error('a scoped read ran outside a request: no principal to scope it to');
  return identity.servers;
}
