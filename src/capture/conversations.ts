import { randomUUID } from 'node:crypto';
import { DERIVED_SESSION_PREFIX } from '../core/record.js';

/** What a sessionless request tells about the conversation it belongs to. */
export interface ConversationClue {
  server: string;
  /** The client as its `_meta` declares it (clientInfo and capabilities; see message-meta.ts). */
  identity: string;
  /** The W3C trace id it propagates, if any. */
  traceId: string | null;
  time: number;
}

interface Conversation {
  id: string;
  identity: string;
  traceId: string | null;
  last: number;
}

export interface ConversationOptions {
  /** Silence after which a client's next request starts a new conversation. */
  gapMs?: number;
  /** Conversations remembered; the least recently active are forgotten first. */
  capacity?: number;
  newId?: () => string;
}

/** As long as the stdio front keeps an idle 2026 conversation (stdio-config.ts, isolatedIdleTimeout). */
export const CONVERSATION_GAP_MS = 30 * 60_000;

/**
 * Groups sessionless traffic (MCP 2026-07-28 and later: no initialize, no Mcp-Session-Id) into
 * conversations, so that it has a timeline like a session. The spec gives no conversation id ("Servers
 * MUST NOT rely on prior requests over the same connection", Basic, "Statelessness"); what is
 * there is the identity each request declares in `_meta`, its trace context, and time. The rule:
 * - a request propagating a trace id already seen, from the same client, joins that trace's conversation;
 * - otherwise it joins its client's latest conversation on the server, unless that has been silent for
 *   longer than the gap or carries another trace id;
 * - otherwise it starts a new one.
 * The TCP connection is not used: HTTP clients pool keep-alive connections, so one connection carries
 * several clients' requests and one client's requests travel on several connections.
 */
export class Conversations {
  readonly #byClient = new Map<string, Conversation>();
  readonly #byTrace = new Map<string, Conversation>();
  readonly #byId = new Map<string, Conversation>();
  readonly #gapMs: number;
  readonly #capacity: number;
  readonly #newId: () => string;

  constructor(options: ConversationOptions = {}) {
    this.#gapMs = options.gapMs ?? CONVERSATION_GAP_MS;
    this.#capacity = options.capacity ?? 10_000;
    this.#newId = options.newId ?? (() => `${DERIVED_SESSION_PREFIX}${randomUUID()}`);
  }

  /** The id of the conversation a request belongs to (a derived session id, `conv-…`). */
  assign(clue: ConversationClue): string {
    const clientKey = `${clue.server}\u0000${clue.identity}`;
    const traceKey = clue.traceId === null ? null : `${clue.server}\u0000${clue.traceId}`;
    const traced = traceKey === null ? undefined : this.#byTrace.get(traceKey);
    if (traced && traced.identity === clue.identity)
      return this.#touch(clientKey, traceKey, traced, clue.time);
    const latest = this.#byClient.get(clientKey);
    if (
      latest &&
      clue.time - latest.last <= this.#gapMs &&
      (clue.traceId === null || latest.traceId === null || latest.traceId === clue.traceId)
    ) {
      latest.traceId ??= clue.traceId;
      return this.#touch(clientKey, traceKey, latest, clue.time);
    }
    const started: Conversation = {
      id: this.#newId(),
      identity: clue.identity,
      traceId: clue.traceId,
      last: clue.time,
    };
    return this.#touch(clientKey, traceKey, started, clue.time);
  }

  /**
   * A message of the conversation went by (an answer, an event on its `subscriptions/listen` stream): a
   * conversation is silent only when nothing moves in either direction.
   */
  active(id: string, time: number): void {
    const conversation = this.#byId.get(id);
    if (conversation) conversation.last = Math.max(conversation.last, time);
  }

  #touch(clientKey: string, traceKey: string | null, conversation: Conversation, time: number): string {
    conversation.last = Math.max(conversation.last, time);
    remember(this.#byId, conversation.id, conversation, this.#capacity);
    remember(this.#byClient, clientKey, conversation, this.#capacity);
    if (traceKey !== null) remember(this.#byTrace, traceKey, conversation, this.#capacity);
    return conversation.id;
  }
}

/** Map insertion order doubles as recency: the first key is the least recently used. */
function remember(map: Map<string, Conversation>, key: string, value: Conversation, capacity: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > capacity) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
}
