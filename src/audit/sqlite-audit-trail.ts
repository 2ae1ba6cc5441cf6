import { chmodSync, existsSync, statSync } from 'node:fs';
import type { StoreKey } from '../store/cipher.js';
import { type AuditPage, type AuditQuery, AuditStore } from './audit-store.js';
import type { AuditEvent, AuditTrail } from './audit-trail.js';

/** Entries waiting for the next write; past this, new ones are counted and dropped (memory stays bounded). */
const MAX_WAITING = 10_000;

/**
 * The gateway's audit trail: `record` only queues the event with its time; the queue is written on the
 * next turn of the event loop (one short transaction per entry, ~10 µs in WAL), so the request that acted
 * never waits on the disk. A failing write is logged and the act stands: the audit log reports on acts,
 * it does not gate them.
 */
export class SqliteAuditTrail implements AuditTrail {
  readonly #store: AuditStore;
  readonly #log: (message: string) => void;
  readonly #now: () => number;
  #waiting: { event: AuditEvent; time: number }[] = [];
  #scheduled = false;
  #dropped = 0;
  #closed = false;

  constructor(store: AuditStore, options: { log: (message: string) => void; now?: () => number }) {
    this.#store = store;
    this.#log = options.log;
    this.#now = options.now ?? Date.now;
  }

  static open(path: string, key: StoreKey | null, log: (message: string) => void): SqliteAuditTrail {
    // Like the storage dir's other files: only its owner may read who did what (it names addresses too).
    for (const file of [path, `${path}-wal`, `${path}-shm`]) {
      if (!existsSync(file)) continue;
      const mode = statSync(file).mode & 0o777;
      if ((mode & ~0o600) === 0) continue;
      chmodSync(file, 0o600);
      log(`${file} was readable by others (mode ${mode.toString(8)}); tightened it to 600`);
    }
    return new SqliteAuditTrail(AuditStore.open(path, { key }), { log });
  }

  get store(): AuditStore {
    return this.#store;
  }

  record(event: AuditEvent): void {
    if (this.#closed) return;
    if (this.#waiting.length >= MAX_WAITING) {
      this.#dropped++;
      return;
    }
    this.#waiting.push({ event, time: this.#now() });
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  query(query: AuditQuery): AuditPage {
    this.flush();
    return this.#store.query(query);
  }

  /** Writes what is queued now (reads of the log call this first, so they see every act before them). */
  flush(): void {
    this.#scheduled = false;
    const batch = this.#waiting;
    this.#waiting = [];
    for (const { event, time } of batch) {
      try {
        this.#store.append(event, time);
      } catch (error) {
        this.#log(
          `could not write to the audit log (${event.action} by ${event.actor?.actor ?? 'unknown'} on ${event.target ?? '-'}): ${(error as Error).message}. The action itself went ahead; check the storage dir's disk space and permissions.`,
        );
      }
    }
    if (this.#dropped > 0) {
      const detail = `${this.#dropped} entries were dropped: they came faster than they could be written`;
      this.#dropped = 0;
      this.#log(`the audit log fell behind: ${detail}; the actions themselves went ahead.`);
      // The log says so itself, so that a reader of it knows it is incomplete here.
      try {
        this.#store.append(
          {
            actor: null,
            source: 'gateway',
            action: 'audit.dropped',
            target: null,
            outcome: 'failed',
            detail,
          },
          this.#now(),
        );
      } catch {
        // Already logged above.
      }
    }
  }

  close(): void {
    if (this.#closed) return;
    this.flush();
    this.#closed = true;
    this.#store.close();
  }
}
