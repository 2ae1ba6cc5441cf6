import { createHash } from 'node:crypto';
import type { AuditEvent } from './audit-trail.js';

/** One stored line of the audit log, as the API, the CLI and `audit verify` see it. */
export interface AuditEntry {
  /** 1, 2, 3 …: a gap is a deleted entry. */
  seq: number;
  /** When it happened, ms since epoch. */
  time: number;
  /** Who acted (a token's name, `owner`, a signed-in user), or null for the gateway itself. */
  actor: string | null;
  actorKind: string | null;
  actorRole: string | null;
  source: string;
  action: string;
  target: string | null;
  outcome: AuditEvent['outcome'];
  detail: string | null;
  /** The hash of the entry before (64 zeros for the first). */
  prevHash: string;
  /** SHA-256 over this entry's canonical form and `prevHash`. */
  hash: string;
}

/** What the first entry chains to. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The bytes an entry's hash covers: a JSON array in a fixed order (JSON.stringify of an array of strings,
 * numbers and nulls is deterministic), so no field can be changed, moved or dropped without the hash
 * changing, and two readers in any language compute the same hash.
 */
export function canonicalEntry(entry: Omit<AuditEntry, 'hash'>): string {
  return JSON.stringify([
    entry.seq,
    entry.time,
    entry.actor,
    entry.actorKind,
    entry.actorRole,
    entry.source,
    entry.action,
    entry.target,
    entry.outcome,
    entry.detail,
    entry.prevHash,
  ]);
}

export function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256').update(canonicalEntry(entry), 'utf8').digest('hex');
}

/** Seals an event as the entry after `previous` (null: the first). */
export function sealEntry(
  event: AuditEvent,
  time: number,
  previous: { seq: number; hash: string } | null,
): AuditEntry {
  const unsealed = {
    seq: (previous?.seq ?? 0) + 1,
    time,
    actor: event.actor?.actor ?? null,
    actorKind: event.actor?.kind ?? null,
    actorRole: event.actor?.role ?? null,
    source: event.source,
    action: event.action,
    target: event.target,
    outcome: event.outcome,
    detail: event.detail ?? null,
    prevHash: previous?.hash ?? GENESIS_HASH,
  };
  return { ...unsealed, hash: entryHash(unsealed) };
}

/** An entry as the REST API and `audit list --json` answer it. */
export function entryToJson(entry: AuditEntry): Record<string, unknown> {
  return {
    seq: entry.seq,
    time: new Date(entry.time).toISOString(),
    actor: entry.actor,
    actorKind: entry.actorKind,
    actorRole: entry.actorRole,
    source: entry.source,
    action: entry.action,
    target: entry.target,
    outcome: entry.outcome,
    detail: entry.detail,
    prevHash: entry.prevHash,
    hash: entry.hash,
  };
}
