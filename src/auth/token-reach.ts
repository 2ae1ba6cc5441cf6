import type { Identity } from './identity.js';
import { type Role, roleAllows } from './roles.js';
import type { TokenInfo } from './token-store.js';

/** What a token would be allowed: its role, its servers (null: all) and its end (null: never). */
export interface Rights {
  role: Role;
  servers: readonly string[] | null;
  expiresAt: number | null;
}

/**
 * Why `who` may not hand out `rights`, or null. Nobody gives more than they hold: a higher role, a server
 * outside their own scope, or a lifetime past their own (else a limited token could mint an unlimited one).
 */
export function beyondReach(who: Identity, rights: Rights): string | null {
  if (!roleAllows(who.role, rights.role)) {
    return `${who.actor} has the ${who.role} role and cannot hand out the ${rights.role} role.`;
  }
  if (who.servers !== null) {
    const outside =
      rights.servers === null ? ['all servers'] : rights.servers.filter((s) => !who.servers?.includes(s));
    if (outside.length > 0) {
      return `${who.actor} is limited to the servers ${who.servers.join(', ')} and cannot hand out ${outside.join(', ')}: give "servers" within them.`;
    }
  }
  if (who.expiresAt !== null && (rights.expiresAt === null || rights.expiresAt > who.expiresAt)) {
    return `${who.actor} expires at ${new Date(who.expiresAt).toISOString()} and cannot hand out a token that lasts longer: give a shorter "expires".`;
  }
  return null;
}

export function rightsOf(token: TokenInfo): Rights {
  return {
    role: token.role,
    servers: token.servers,
    expiresAt: token.expires === null ? null : Date.parse(token.expires),
  };
}
