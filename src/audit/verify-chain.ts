import { type AuditEntry, entryHash, GENESIS_HASH } from './audit-entry.js';

export interface ChainReport {
  /** Entries read. */
  count: number;
  first: AuditEntry | null;
  last: AuditEntry | null;
  /** What is wrong, entry by entry, in order; empty when the chain is intact. */
  problems: string[];
}

/** Stops listing after this many problems: a log rewritten wholesale needs no 10,000 lines to say so. */
const MAX_PROBLEMS = 50;

function missing(from: number, to: number): string {
  const which = from === to ? `entry ${from} is missing` : `entries ${from} to ${to} are missing`;
  return from === 1
    ? `${which}: the chain starts at ${to + 1}`
    : `${which}: the chain jumps from ${from - 1} to ${to + 1}`;
}

/**
 * Walks the chain oldest first. Each entry must hash to its stored hash (else it "was changed"), follow the
 * one before it by seq (else entries are missing), and carry the hash of the one before (else the one
 * before was replaced, hash and all). Entries removed from the end leave no gap: `audit verify` prints the
 * last hash so it can be kept elsewhere and compared (docs/audit.md).
 */
export function verifyChain(entries: Iterable<AuditEntry>): ChainReport {
  const problems: string[] = [];
  let count = 0;
  let first: AuditEntry | null = null;
  let previous: AuditEntry | null = null;
  const problem = (text: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push(text);
  };
  for (const entry of entries) {
    count++;
    first ??= entry;
    const { hash, ...rest } = entry;
    const changed = entryHash(rest) !== hash;
    if (changed) problem(`entry ${entry.seq} was changed: its contents no longer match its hash`);
    const expectedSeq = (previous?.seq ?? 0) + 1;
    if (entry.seq > expectedSeq) {
      problem(missing(expectedSeq, entry.seq - 1));
    } else if (!changed && entry.prevHash !== (previous?.hash ?? GENESIS_HASH)) {
      // A contiguous neighbour whose hash is not the one this entry was chained to: it was rewritten
      // with a fresh hash to hide an edit.
      problem(
        previous
          ? `entry ${previous.seq} was changed: entry ${entry.seq} was chained to a different entry ${previous.seq}`
          : `entry ${entry.seq} does not start the chain: its prev_hash is not the genesis hash`,
      );
    }
    previous = entry;
  }
  if (problems.length === MAX_PROBLEMS) problems.push(`(more problems not listed)`);
  return { count, first, last: previous, problems };
}
