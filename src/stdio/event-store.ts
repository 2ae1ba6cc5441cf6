import type { EventStore } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

interface StoredEvent {
  id: string;
  sequence: number;
  streamId: string;
  message: JSONRPCMessage;
  bytes: number;
}

/** Per session: events kept for redelivery, and their total size (a rough, text-length estimate). */
export const EVENT_STORE_LIMITS = { events: 1000, bytes: 8 * 1024 * 1024 } as const;

/** A message whose size is not known is counted as this many bytes. */
const UNKNOWN_SIZE = 1024;

/**
 * The SSE events a session was sent, so that a client that lost its connection can resume with
 * Last-Event-ID and receive what it missed (MCP Streamable HTTP, "Resumability and Redelivery"). Bounded
 * per session: the oldest events are forgotten first, and resuming from a forgotten event is refused.
 */
export class SessionEventStore implements EventStore {
  readonly #events: StoredEvent[] = [];
  readonly #byId = new Map<string, StoredEvent>();
  readonly #sizes = new WeakMap<object, number>();
  #bytes = 0;
  #sequence = 0;

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
    while (
      this.#events.length > EVENT_STORE_LIMITS.events ||
      (this.#bytes > EVENT_STORE_LIMITS.bytes && this.#events.length > 1)
    ) {
      const oldest = this.#events.shift() as StoredEvent;
      this.#byId.delete(oldest.id);
      this.#bytes -= oldest.bytes;
    }
    return event.id;
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
