import { GatewayError } from '../core/errors.js';
import { clientAddress, type LimitCounts } from './limit-counts.js';
import { describeRate, type Rate } from './rate.js';
import { retryAfterSeconds, TokenBuckets } from './token-buckets.js';

export interface ApiLimitSettings {
  /** Requests per token (owner, named token or signed-in user, UI sessions included); null: no limit. */
  readonly perToken: Rate | null;
  /** Requests per remote address, whoever they are from (or nobody yet); null: no limit. */
  readonly perAddress: Rate | null;
}

/** Generous enough that the web UI (polling, live feed, pages of records) never meets them. */
export const DEFAULT_API_LIMITS = { perToken: '600/1m', perAddress: '1200/1m' } as const;

/**
 * Request rates on the REST API and the gateway's MCP server (`/api/*`, `/gateway/mcp`). The address is
 * checked before the token is, so that a flood of requests with no or wrong tokens is slowed as well (the
 * auth limiter, app/auth-limiter.ts, additionally pauses an address after a burst of wrong tokens). Over a
 * limit: 429 (RFC 6585 §4) with Retry-After (RFC 9110 §10.2.3) and a message saying when to try again.
 */
export class ApiLimits {
  readonly #byToken: TokenBuckets | null;
  readonly #byAddress: TokenBuckets | null;
  readonly #counts: LimitCounts;

  constructor(settings: ApiLimitSettings, counts: LimitCounts, now?: () => number) {
    this.#byToken = settings.perToken ? new TokenBuckets(settings.perToken, { now }) : null;
    this.#byAddress = settings.perAddress ? new TokenBuckets(settings.perAddress, { now }) : null;
    this.#counts = counts;
  }

  /** Throws a GatewayError 429 when this address is over its rate. */
  checkAddress(address: string | undefined): void {
    if (!this.#byAddress) return;
    const key = clientAddress(address);
    const wait = this.#byAddress.take(key);
    if (wait === 0) return;
    this.#counts.hit('apiAddress');
    throw tooFast(
      `Too many requests from ${key}: the gateway's API takes at most ${describeRate(this.#byAddress.rate)} from one address (--api-rate-limit-per-address).`,
      wait,
    );
  }

  /** Throws a GatewayError 429 when whoever the token stands for is over its rate. */
  checkToken(who: { kind: string; actor: string }): void {
    if (!this.#byToken) return;
    const wait = this.#byToken.take(`${who.kind}:${who.actor}`);
    if (wait === 0) return;
    this.#counts.hit('apiToken');
    throw tooFast(
      `Too many requests for "${who.actor}": the gateway's API takes at most ${describeRate(this.#byToken.rate)} per token (--api-rate-limit).`,
      wait,
    );
  }
}

function tooFast(what: string, waitMs: number): GatewayError {
  const seconds = retryAfterSeconds(waitMs);
  return new GatewayError(
    429,
    `${what} Retry after ${seconds} s (Retry-After); a script should pace its calls, or the gateway's owner can raise the limit.`,
    { headers: { 'retry-after': String(seconds) } },
  );
}
