import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { GatewayError } from '../core/errors.js';
import { clientAddress, type LimitCounts } from './limit-counts.js';

export const DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 256;

/** How long a refused connection may stay open to read its answer before it is cut. */
const REFUSED_GRACE_MS = 10_000;

/**
 * Open TCP connections per client address. A connection past the cap is not counted and is answered, at
 * its first request, with 503 and `Connection: close` (then closed), so the client reads why rather than
 * seeing a reset. Memory: one counter per address with open connections.
 */
export class ConnectionCaps {
  readonly max: number;
  readonly #counts: LimitCounts;
  readonly #open = new Map<string, number>();
  readonly #refused = new WeakSet<Socket>();

  constructor(max: number, counts: LimitCounts) {
    this.max = max;
    this.#counts = counts;
  }

  attach(server: Server): void {
    server.on('connection', (socket: Socket) => this.#opened(socket));
  }

  /** The answer for a request on a connection past the cap, or null. */
  refusal(socket: Socket): GatewayError | null {
    if (!this.#refused.has(socket)) return null;
    const client = clientAddress(socket.remoteAddress);
    return new GatewayError(
      503,
      `Too many connections from ${client}: the gateway takes at most ${this.max} at once from one client address (--max-connections-per-client). Close connections you no longer use (idle streams, other clients), then retry.`,
      { headers: { 'retry-after': '1', connection: 'close' } },
    );
  }

  /** Connections open now from this address (for tests). */
  openFrom(address: string): number {
    return this.#open.get(clientAddress(address)) ?? 0;
  }

  #opened(socket: Socket): void {
    const client = clientAddress(socket.remoteAddress);
    const open = this.#open.get(client) ?? 0;
    if (open >= this.max) {
      this.#refused.add(socket);
      this.#counts.hit('connectionsPerClient');
      const cut = setTimeout(() => socket.destroy(), REFUSED_GRACE_MS);
      cut.unref();
      socket.once('close', () => clearTimeout(cut));
      return;
    }
    this.#open.set(client, open + 1);
    socket.once('close', () => {
      const left = (this.#open.get(client) ?? 1) - 1;
      if (left > 0) this.#open.set(client, left);
      else this.#open.delete(client);
    });
  }
}
