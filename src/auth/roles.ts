import { GatewayError } from '../core/errors.js';

/**
 * What a principal may do. Each role includes the rights of the ones before it:
 * - viewer reads traffic, sessions, stats and servers;
 * - operator also registers, edits and restarts servers and clears records;
 * - admin also manages tokens, reads the audit log and approves commands.
 * The owner (the startup token) is an admin that no one can revoke.
 */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** True when `role` has at least the rights of `needed`. */
export function roleAllows(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/**
 * Refuses (403) a principal whose role is below `needed`, naming the role needed so that the person knows
 * whom to ask. `what` says what was refused, e.g. "Managing tokens".
 */
export function requireRole(principal: { role: Role; actor: string }, needed: Role, what: string): void {
  if (roleAllows(principal.role, needed)) return;
  throw new GatewayError(
    403,
    `${what} needs the ${needed} role; ${principal.actor} has ${principal.role}. Ask the gateway's owner for a token with the ${needed} role.`,
  );
}
