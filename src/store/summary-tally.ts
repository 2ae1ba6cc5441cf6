import type { Database } from './database.js';

/** The parts of a record that its session's and its method's running totals are made of. */
export interface TallyEntry {
  server: string;
  sessionId: string | null;
  method: string | null;
  kind: string;
  time: number;
  durationMs: number | null;
  tokens: number | null;
  clientName: string | null;
  clientVersion: string | null;
  serverName: string | null;
  serverVersion: string | null;
  protocolVersion: string | null;
}

export interface SessionDelta {
  server: string;
  session: string;
  first: number;
  last: number;
  messages: number;
  errors: number;
  clientName: string | null;
  clientVersion: string | null;
  serverName: string | null;
  serverVersion: string | null;
  protocolVersion: string | null;
}

export interface MethodDelta {
  server: string;
  method: string;
  messages: number;
  requests: number;
  errors: number;
  timed: number;
  durationTotal: number;
  tokens: number;
  last: number;
}

/**
 * A batch's changes to the running totals of sessions and methods, added up in memory; each backend writes
 * them its own way at the batch's end (SQLite below, PostgreSQL in postgres/tallies.ts).
 */
export class SummaryDeltas {
  readonly sessions = new Map<string, SessionDelta>();
  readonly methods = new Map<string, MethodDelta>();

  /** A record just stored. */
  add(entry: TallyEntry, isFailure: boolean): void {
    const failed = isFailure ? 1 : 0;
    if (entry.sessionId !== null) this.#addSession(entry, 1, failed);
    const delta = this.#method(entry);
    delta.messages++;
    delta.errors += failed;
    if (entry.kind === 'request') delta.requests++;
    if (entry.durationMs !== null) {
      delta.timed++;
      delta.durationTotal += entry.durationMs;
    }
    delta.tokens += entry.tokens ?? 0;
  }

  /**
   * A stored request whose exchange was answered: it may have just learned its session (initialize) and
   * become a failure (an HTTP error status). `entry` describes it as it is now.
   */
  correct(entry: TallyEntry, change: { failed: boolean; joinedSession: boolean; errorDelta: number }): void {
    if (entry.sessionId !== null && change.joinedSession) {
      this.#addSession(entry, 1, change.failed ? 1 : 0);
    } else if (entry.sessionId !== null && change.errorDelta !== 0) {
      this.#addSession(entry, 0, change.errorDelta);
    }
    if (change.errorDelta !== 0) this.#method(entry).errors += change.errorDelta;
  }

  #method(entry: TallyEntry): MethodDelta {
    const method = entry.method ?? '';
    const key = `${entry.server}\u0000${method}`;
    let delta = this.methods.get(key);
    if (!delta) {
      delta = {
        server: entry.server,
        method,
        messages: 0,
        requests: 0,
        errors: 0,
        timed: 0,
        durationTotal: 0,
        tokens: 0,
        last: entry.time,
      };
      this.methods.set(key, delta);
    }
    delta.last = Math.max(delta.last, entry.time);
    return delta;
  }

  #addSession(entry: TallyEntry, messages: number, errors: number): void {
    const key = `${entry.server}\u0000${entry.sessionId}`;
    let delta = this.sessions.get(key);
    if (!delta) {
      delta = {
        server: entry.server,
        session: entry.sessionId as string,
        first: entry.time,
        last: entry.time,
        messages: 0,
        errors: 0,
        clientName: null,
        clientVersion: null,
        serverName: null,
        serverVersion: null,
        protocolVersion: null,
      };
      this.sessions.set(key, delta);
    }
    delta.messages += messages;
    delta.errors += errors;
    delta.first = Math.min(delta.first, entry.time);
    delta.last = Math.max(delta.last, entry.time);
    delta.clientName ??= entry.clientName;
    delta.clientVersion ??= entry.clientVersion;
    delta.serverName ??= entry.serverName;
    delta.serverVersion ??= entry.serverVersion;
    delta.protocolVersion ??= entry.protocolVersion;
  }

  clear(): void {
    this.sessions.clear();
    this.methods.clear();
  }
}

/**
 * Running totals for the sessions and method_totals tables, added up in memory during a batch and written
 * with one upsert per session and per method at its end: a batch of 500 messages in one session costs two
 * statements instead of a thousand (per-row triggers would halve capture throughput).
 */
export class SummaryTally {
  readonly #deltas = new SummaryDeltas();
  readonly #upsertSession;
  readonly #upsertMethod;

  constructor(db: Database) {
    this.#upsertSession = db.prepare(`
      INSERT INTO sessions (server, session_id, client_name, client_version, server_name, server_version,
        protocol_version, first_seen, last_seen, messages, errors)
      VALUES (@server, @session, @clientName, @clientVersion, @serverName, @serverVersion, @protocolVersion,
        @first, @last, @messages, @errors)
      ON CONFLICT (server, session_id) DO UPDATE SET
        messages = messages + excluded.messages,
        errors = errors + excluded.errors,
        first_seen = min(first_seen, excluded.first_seen),
        last_seen = max(coalesce(last_seen, excluded.last_seen), excluded.last_seen),
        client_name = coalesce(client_name, excluded.client_name),
        client_version = coalesce(client_version, excluded.client_version),
        server_name = coalesce(server_name, excluded.server_name),
        server_version = coalesce(server_version, excluded.server_version),
        protocol_version = coalesce(protocol_version, excluded.protocol_version)`);
    this.#upsertMethod = db.prepare(`
      INSERT INTO method_totals (server, method, messages, requests, errors, timed, duration_total, tokens,
        last_seen)
      VALUES (@server, @method, @messages, @requests, @errors, @timed, @durationTotal, @tokens, @last)
      ON CONFLICT (server, method) DO UPDATE SET
        messages = messages + excluded.messages,
        requests = requests + excluded.requests,
        errors = errors + excluded.errors,
        timed = timed + excluded.timed,
        duration_total = duration_total + excluded.duration_total,
        tokens = tokens + excluded.tokens,
        last_seen = max(coalesce(last_seen, excluded.last_seen), excluded.last_seen)`);
  }

  /** A record just stored. */
  add(entry: TallyEntry, isFailure: boolean): void {
    this.#deltas.add(entry, isFailure);
  }

  /** As `SummaryDeltas.correct`: a stored request whose exchange was answered. */
  correct(entry: TallyEntry, change: { failed: boolean; joinedSession: boolean; errorDelta: number }): void {
    this.#deltas.correct(entry, change);
  }

  /** Writes what was added since the last flush; call inside the batch's transaction. */
  flush(): void {
    for (const delta of this.#deltas.sessions.values()) this.#upsertSession.run(delta);
    for (const delta of this.#deltas.methods.values()) this.#upsertMethod.run(delta);
    this.#deltas.clear();
  }
}
