import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** Requests remembered per session; past this the oldest are forgotten (their answers stage without a method). */
const MAX_REMEMBERED = 1000;

/**
 * The methods of a session's requests in flight and its client's name, so that the message stage can
 * match what the server sends back (`method:tools/call` on an answer; `client:`) as capture files it.
 */
export class ClientRequests {
  readonly #methods = new Map<string, string>();
  clientName: string | null = null;

  /** `armed`: whether the stage is; unarmed, only the client's name is learnt (once, from initialize). */
  sent(message: JSONRPCMessage, armed: boolean): void {
    const object = message as {
      id?: unknown;
      method?: unknown;
      params?: { clientInfo?: { name?: unknown } };
    };
    if (typeof object.method !== 'string' || !isId(object.id)) return;
    if (object.method === 'initialize') {
      const name = object.params?.clientInfo?.name;
      if (typeof name === 'string') this.clientName = name;
    }
    if (!armed) return;
    this.#methods.set(key(object.id), object.method);
    if (this.#methods.size > MAX_REMEMBERED) {
      const oldest = this.#methods.keys().next().value;
      if (oldest !== undefined) this.#methods.delete(oldest);
    }
  }

  /** The method an answer answers (forgotten once asked), or null for anything else. */
  answered(message: JSONRPCMessage): string | null {
    const object = message as { id?: unknown; method?: unknown };
    if (typeof object.method === 'string' || !isId(object.id)) return null;
    const k = key(object.id);
    const method = this.#methods.get(k) ?? null;
    this.#methods.delete(k);
    return method;
  }
}

function isId(value: unknown): value is string | number {
  return typeof value === 'string' || typeof value === 'number';
}

function key(id: string | number): string {
  return typeof id === 'number' ? `n${id}` : `s${id}`;
}
