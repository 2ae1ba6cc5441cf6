import type { HeaderMap } from '../core/capture-events.js';
import { headerValue } from '../core/headers.js';
import { DERIVED_SESSION_PREFIX } from '../core/record.js';
import type { SessionFacts, SessionInfo } from '../core/session.js';
import { type ConversationOptions, Conversations } from './conversations.js';
import type { PendingRequest } from './correlator.js';
import type { MessageDraft } from './draft.js';
import {
  type Implementation,
  initializeClaims,
  negotiatedVersionOf,
  requestClaims,
  serverInfoOf,
  traceIdOf,
} from './message-meta.js';
import { SessionTracker } from './session-tracker.js';

/** The first protocol version without sessions: its requests name their client in `_meta`. */
const PER_REQUEST_ERA = '2026-07-28';

/** What an HTTP exchange tells about the identity of the messages in it. */
export interface ExchangeIdentity {
  /** The client an initialize in this exchange named, until the server answers it. */
  initializingClient: Implementation | null;
  /** The version the exchange's request claims: its `_meta`, else the MCP-Protocol-Version header. */
  protocolVersion: string | null;
}

export function exchangeIdentity(requestHeaders: HeaderMap): ExchangeIdentity {
  return {
    initializingClient: null,
    protocolVersion: headerValue(requestHeaders, 'mcp-protocol-version') ?? null,
  };
}

const blankFacts = (time: number): SessionFacts => ({
  clientName: null,
  clientVersion: null,
  serverName: null,
  serverVersion: null,
  protocolVersion: null,
  firstSeen: time,
});

/**
 * Who each message is between, and under which protocol version, from whichever source its era uses:
 * the initialize handshake of its session (2025-11-25 and earlier), or the `_meta` of each request and
 * result (2026-07-28 and later). Sessionless traffic of the per-request era is grouped into conversations
 * (conversations.ts) that then stand in for its session. Nothing is ever taken from another client's
 * handshake: a sessionless message of the per-request era never reads what a sessionless initialize
 * left behind, and a sessionless 2025 message reads only what a handshake with the same User-Agent did.
 */
export class Identities {
  readonly #sessions = new SessionTracker();
  /** stdio sessions have no exchange to hold the initializing client until the server answers. */
  readonly #initializing = new Map<string, Implementation>();
  readonly #conversations: Conversations;

  constructor(options: ConversationOptions = {}) {
    this.#conversations = new Conversations(options);
  }

  /**
   * The conversation a sessionless message belongs to, when it is a request (or notification) of the
   * per-request era; null otherwise. `traceparent` is the HTTP header, used when `_meta` has none.
   */
  conversation(server: string, value: unknown, time: number, traceparent?: string): string | null {
    const claims = requestClaims(value);
    if (!claims) return null;
    const traceId = claims.traceId ?? traceIdOf(traceparent);
    return this.#conversations.assign({ server, identity: claims.identity, traceId, time });
  }

  /** A client's initialize: its client is named on the session's records until the server answers. */
  initializing(draft: MessageDraft, exchange: ExchangeIdentity | null): void {
    const { client } = initializeClaims(draft.value);
    if (exchange) {
      exchange.initializingClient = client;
      return;
    }
    const key = this.#key(draft.record.server, draft.record.sessionId, draft.record.userAgent);
    this.#initializing.delete(key);
    if (client) this.#initializing.set(key, client);
    if (this.#initializing.size > 1000) {
      const oldest = this.#initializing.keys().next().value;
      if (oldest !== undefined) this.#initializing.delete(oldest);
    }
  }

  /**
   * A server's answer to `request`. The request, stored before the answer came, learns the server's
   * name (returns true when it must be updated in the store); an initialize answer starts a session
   * (returned, for the session listeners, when it has an id).
   */
  answered(
    draft: MessageDraft,
    request: PendingRequest,
    exchange: ExchangeIdentity | null,
  ): { lateIdentity: boolean; session: SessionInfo | null } {
    const outcome = { lateIdentity: false, session: null as SessionInfo | null };
    // An answer is sent under its request's version (for initialize, the version the answer settles on).
    draft.record.protocolVersion ??=
      (request.method === 'initialize' ? negotiatedVersionOf(draft.value) : null) ??
      request.draft.record.protocolVersion;
    if (draft.shape.kind !== 'response') return outcome;
    const server = serverInfoOf(draft.value);
    const asked = request.draft.record;
    if (server && asked.serverName === null && server.name !== null) {
      asked.serverName = server.name;
      asked.serverVersion = server.version;
      outcome.lateIdentity = request.draft.id !== null;
    }
    if (request.method !== 'initialize') return outcome;
    const { record } = draft;
    const key = this.#key(record.server, record.sessionId, record.userAgent);
    // The answer may come on another exchange than its request (a legacy HTTP+SSE stream): the request says.
    const claims = initializeClaims(request.draft.value);
    const client = (exchange ? exchange.initializingClient : this.#initializing.get(key)) ?? claims.client;
    this.#initializing.delete(key);
    const facts: SessionFacts = {
      clientName: client?.name ?? null,
      clientVersion: client?.version ?? null,
      serverName: server?.name ?? null,
      serverVersion: server?.version ?? null,
      protocolVersion: negotiatedVersionOf(draft.value) ?? claims.protocolVersion,
      firstSeen: record.time,
    };
    this.#sessions.set(record.server, this.#sessionKey(record.sessionId, record.userAgent), facts);
    if (record.sessionId !== null)
      outcome.session = { server: record.server, sessionId: record.sessionId, ...facts };
    return outcome;
  }

  /** Names the client and server of a record and the protocol version it was sent under. */
  stamp(draft: MessageDraft, exchange: ExchangeIdentity | null): void {
    const { record, value } = draft;
    if (record.sessionId?.startsWith(DERIVED_SESSION_PREFIX)) {
      this.#conversations.active(record.sessionId, record.time);
    }
    const claims = record.direction === 'client_to_server' ? requestClaims(value) : null;
    const perRequest = claims !== null || (exchange?.protocolVersion ?? '') >= PER_REQUEST_ERA;
    const sessionKey = this.#sessionKey(record.sessionId, record.userAgent);
    let facts =
      record.sessionId === null && perRequest ? undefined : this.#sessions.get(record.server, sessionKey);
    if (claims) {
      record.clientName = claims.client?.name ?? null;
      record.clientVersion = claims.client?.version ?? null;
      record.protocolVersion = claims.protocolVersion;
      if (record.sessionId !== null) {
        facts = {
          ...(facts ?? blankFacts(record.time)),
          clientName: record.clientName,
          clientVersion: record.clientVersion,
          protocolVersion: claims.protocolVersion,
        };
        this.#sessions.set(record.server, sessionKey, facts);
      }
    } else if (facts) {
      record.clientName = facts.clientName;
      record.clientVersion = facts.clientVersion;
    } else {
      const client =
        exchange?.initializingClient ??
        (exchange
          ? undefined
          : this.#initializing.get(this.#key(record.server, record.sessionId, record.userAgent)));
      if (client) {
        record.clientName = client.name;
        record.clientVersion = client.version;
      }
    }
    const server = record.direction === 'server_to_client' ? serverInfoOf(value) : null;
    if (server?.name) {
      record.serverName = server.name;
      record.serverVersion = server.version;
      if (record.sessionId !== null && facts && facts.serverName === null) {
        this.#sessions.set(record.server, sessionKey, {
          ...facts,
          serverName: server.name,
          serverVersion: server.version,
        });
      }
    } else if (facts) {
      record.serverName ??= facts.serverName;
      record.serverVersion ??= facts.serverVersion;
    }
    record.protocolVersion ??=
      (record.method === 'initialize' && record.kind === 'request'
        ? initializeClaims(value).protocolVersion
        : null) ??
      facts?.protocolVersion ??
      exchange?.protocolVersion ??
      null;
  }

  /**
   * The tracker's key for a session. Sessionless 2025 traffic (stdio, stateless HTTP servers) has no id
   * to tell clients apart; the User-Agent at least keeps two different client programs apart.
   */
  #sessionKey(sessionId: string | null, userAgent: string | null): string | null {
    return sessionId ?? `\u0001${userAgent ?? ''}`;
  }

  #key(server: string, sessionId: string | null, userAgent: string | null): string {
    return SessionTracker.key(server, this.#sessionKey(sessionId, userAgent));
  }
}
