import type { Identity } from '../auth/identity.js';
import type { AuditPage, AuditQuery } from './audit-store.js';

/**
 * One line of the control-plane audit log: who did what to what, from where, and how it ended. Traffic is
 * not audited here (it is captured); changes to what runs, who may act, and what was kept are.
 */
export interface AuditEvent {
  /** Who acted; null for the gateway itself (a failed-auth burst has no actor yet). */
  actor: Identity | null;
  /** The remote address the request came from, or `cli` for a subcommand on this machine. */
  source: string;
  /** Dotted verb, e.g. `server.add`, `token.revoke`, `records.clear`, `auth.sign-in`. */
  action: string;
  /** What it acted on: a server name, a token name, a filter. */
  target: string | null;
  outcome: 'ok' | 'refused' | 'failed';
  /** A short human detail, never a secret. */
  detail?: string;
}

/** Where audit events go; `record` never throws and never waits (a failing audit must not fail the act). */
export interface AuditTrail {
  record(event: AuditEvent): void;
  /** Reads the log back (every act recorded before the call included); absent when nothing is kept. */
  query?(query: AuditQuery): AuditPage;
}

export const NO_AUDIT: AuditTrail = { record() {} };
