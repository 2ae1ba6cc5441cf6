import type { EventStore } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

interface StoredEvent {
  id: string;
  sequence: number;
  streamId: string;
  message: JSONRPCMessage;
  bytes: number;
}

/**
 * Events kept for redelivery: per session a count and a size (a text-length estimate), and a size for all
 * the sessions of one server together, so that many sessions cannot add up to unbounded memory.
 */
export const EVENT_STORE_LIMITS = {
  events: 1000,
  bytes: 4 * 1024 * 1024,
  serverBytes: 64 * 1024 * 1024,
} as const;

/** The bytes all stores of one server hold. */
export interface EventBudget {
  used: number;
}

/** A message whose size is not known is counted as this many bytes. */
const UNKNOWN_SIZE = 1024;

/**
 * The SSE events a session was sent, so that a client that lost its connection can resume with
 * Last-Event-ID and receive what it missed (MCP Streamable HTTP, "Resumability and Redelivery"). Bounded:
 * the oldest events are forgotten first (strictly in order, so that when an event is still kept, every
 * later one is too), and resuming from a forgotten event is refused rather than replayed with a gap.
 */
export class SessionEventStore implements EventStore {
  readonly #budget: EventBudget;
  readonly #events: StoredEvent[] = [];
  readonly #byId = new Map<string, StoredEvent>();
  readonly #sizes = new WeakMap<object, number>();
  #bytes = 0;
  #sequence = 0;

  constructor(budget: EventBudget = { used: 0 }) {
    this.#budget = budget;
  }

  /** Tells the store how large a message about to be sent is (its text is at hand where it is sent). */
  sizeHint(message: JSONRPCMessage, bytes: number): void {
    this.#sizes.set(message, bytes);
  }

  async storeEvent(streamId: string, message: JSONRPCMessage): Promise<string> {
    const sequence = ++this.#sequence;
    const event: StoredEvent = {
      id: String(sequence),
      sequence,
      streamId,
      message,
      bytes: this.#sizes.get(message) ?? UNKNOWN_SIZE,
    };
    this.#events.push(event);
    this.#byId.set(event.id, event);
    this.#bytes += event.bytes;
    this.#budget.used += event.bytes;
    while (
      this.#events.length > EVENT_STORE_LIMITS.events ||
      this.#bytes > EVENT_STORE_LIMITS.bytes ||
      (this.#budget.used > EVENT_STORE_LIMITS.serverBytes && this.#events.length > 0)
    ) {
      this.#forgetOldest();
    }
    return event.id;
  }

  #forgetOldest(): void {
    const oldest = this.#events.shift();
    if (!oldest) return;
    this.#byId.delete(oldest.id);
    this.#bytes -= oldest.bytes;
    this.#budget.used -= oldest.bytes;
  }

  /** The session ended: what it held no longer counts against its server. */
  clear(): void {
    while (this.#events.length > 0) this.#forgetOldest();
  }

  async getStreamIdForEventId(eventId: string): Promise<string | undefined> {
    return this.#byId.get(eventId)?.streamId;
  }

  /** The stream an event id belongs to, synchronously (to tell a resumed GET stream from a POST one). */
  streamOf(eventId: string): string | undefined {
    return this.#byId.get(eventId)?.streamId;
  }

  async replayEventsAfter(
    lastEventId: string,
    { send }: { send: (eventId: string, message: JSONRPCMessage) => Promise<void> },
  ): Promise<string> {
    const last = this.#byId.get(lastEventId);
    if (!last) throw new Error(`event ${lastEventId} is no longer kept`);
    for (const event of this.#events) {
      if (event.sequence <= last.sequence || event.streamId !== last.streamId) continue;
      // Priming events carry no message (an empty object): they only gave the client an id to resume from.
      if (!('jsonrpc' in event.message)) continue;
      await send(event.id, event.message);
    }
    return last.streamId;
  }
}
