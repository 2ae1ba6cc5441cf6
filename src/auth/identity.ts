import type { Role } from './roles.js';

/**
 * Who a request acts for, whatever carried it (a Bearer token, the UI's cookie, an OpenID sign-in). Every
 * check of rights and every audit line reads this, so they cannot disagree.
 */
export interface Identity {
  /** How the audit log and `token list` name them: `owner`, a token's name, or a signed-in user. */
  actor: string;
  kind: 'owner' | 'token' | 'user';
  role: Role;
  /** The servers whose traffic and config they may see; null means all. */
  servers: readonly string[] | null;
  /** When their right ends (ms since epoch), or null. Checked on every request and by live feeds. */
  expiresAt: number | null;
  /**
   * A named token's: when the value it was made from was issued (created or last rotated), so that what
   * an old value opened (a UI session) ends when the token is rotated, revoked or made again.
   */
  issuedAt?: number;
}

export const OWNER: Identity = {
  actor: 'owner',
  kind: 'owner',
  role: 'admin',
  servers: null,
  expiresAt: null,
};

/** True when the identity may see this server's traffic and config. */
export function canSeeServer(identity: Identity, server: string): boolean {
  return identity.servers === null || identity.servers.includes(server);
}
