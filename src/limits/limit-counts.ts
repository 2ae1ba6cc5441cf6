/** Why the gateway refused something on a limit; each kind is counted for GET /api/status. */
export type LimitKind =
  | 'apiToken'
  | 'apiAddress'
  | 'serverRate'
  | 'clientRate'
  | 'connectionsPerClient'
  | 'sessionsPerClient';

export type LimitHits = Record<LimitKind, number>;

/** Refusals on a limit since the gateway started, by kind. */
export class LimitCounts {
  readonly #hits: LimitHits = {
    apiToken: 0,
    apiAddress: 0,
    serverRate: 0,
    clientRate: 0,
    connectionsPerClient: 0,
    sessionsPerClient: 0,
  };

  hit(kind: LimitKind): void {
    this.#hits[kind]++;
  }

  snapshot(): LimitHits {
    return { ...this.#hits };
  }
}

/** An IPv4 client of a dual-stack socket shows as ::ffff:a.b.c.d; it is the same client either way. */
export function clientAddress(address: string | undefined): string {
  if (address === undefined) return 'unknown';
  // Node reports the prefix in lower case; this runs on every proxied request, so no regular expression.
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
