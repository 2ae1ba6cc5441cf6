import { type Role, roleAllows } from '../auth/roles.js';
import { inScope, type Scope } from '../auth/scope.js';
import type { LiveEvent } from './live-events.js';

/** Who a subscriber is, as far as what it may be sent goes. */
export interface Audience {
  scope: Scope;
  role: Role;
}

/**
 * A broadcast event as a subscriber may see it: events about servers outside its scope are not sent at
 * all, and lists of server names keep only its own, so the feed never names a server its token cannot
 * see; commands waiting for approval are an admin's to review (GET /api/servers/pending), so only admins
 * hear of them. Records are scoped by the subscription's filter instead (live-feed.ts). The switch is
 * exhaustive: a new event type must say here what a scoped subscriber sees of it.
 */
export function visibleEvent(event: LiveEvent, { scope, role }: Audience): LiveEvent | null {
  if (event.type === 'approvals-changed' && !roleAllows(role, 'admin')) return null;
  if (scope === null) return event;
  const mine = (names: string[]) => names.filter((name) => inScope(scope, name));
  switch (event.type) {
    case 'server-health':
    case 'intercept-held':
    case 'intercept-released':
    case 'tool-changes':
      return inScope(scope, event.server) ? event : null;
    case 'servers-changed': {
      const scoped = {
        ...event,
        added: mine(event.added),
        removed: mine(event.removed),
        updated: mine(event.updated),
      };
      return scoped.added.length + scoped.removed.length + scoped.updated.length > 0 ? scoped : null;
    }
    case 'approvals-changed':
      return { ...event, pending: mine(event.pending) };
    // Views refetch on it; how many were deleted says nothing about which servers.
    case 'records-deleted':
    // Names nothing: each subscriber refetches the rules its own scope reaches.
    case 'faults-changed':
    case 'hello':
    case 'records':
    case 'activity':
    case 'lagged':
      return event;
    default:
      return event satisfies never;
  }
}
