import { GatewayError } from '../core/errors.js';
import { classifyMessage } from '../core/jsonrpc.js';
import type { GateRequest } from '../proxy/proxy-gate.js';
import { clientAddress, type LimitCounts } from './limit-counts.js';
import { describeRate, parsePeriod, type Rate } from './rate.js';
import type { SessionCaps } from './session-caps.js';
import { retryAfterSeconds, TokenBuckets } from './token-buckets.js';

/** The limits of one server entry in mcp.json (`rateLimit`, `clientRateLimit`), as validated there. */
export interface ServerRateLimits {
  rateLimit?: { requests: number; per: string } | undefined;
  clientRateLimit?: { requests: number; per: string } | undefined;
}

interface ServerRates {
  /** What the buckets were built from: an unchanged entry keeps them across a reload. */
  key: string;
  all: TokenBuckets | null;
  perClient: TokenBuckets | null;
}

type OnAnswer = (listener: (status: number) => void) => void;

/**
 * Rate limits on proxied servers and the cap on sessions per client. Only requests are limited: a
 * notification or a response to the server goes through whatever the rate (holding back a response
 * would leave the server waiting on a request of its own). A batch costs one token per request in it.
 *
 * `clientRateLimit` is per client address, not per MCP session or clientInfo: the proxy takes no gateway
 * token, and a session id or a client name costs nothing to change (a new `initialize`), so a limit on
 * them would stop nobody. Clients on one machine share its address, and so share its limit.
 */
export class ProxyLimits {
  readonly #counts: LimitCounts;
  readonly #sessions: SessionCaps | null;
  readonly #now: (() => number) | undefined;
  #servers = new Map<string, ServerRates>();

  constructor(counts: LimitCounts, sessions: SessionCaps | null, now?: () => number) {
    this.#counts = counts;
    this.#sessions = sessions;
    this.#now = now;
  }

  /** Takes the limits of the registry's servers (at start and on each mcp.json change). */
  configure(servers: ReadonlyMap<string, ServerRateLimits>): void {
    const next = new Map<string, ServerRates>();
    for (const [name, entry] of servers) {
      if (!entry.rateLimit && !entry.clientRateLimit) continue;
      const key = JSON.stringify([entry.rateLimit, entry.clientRateLimit]);
      const previous = this.#servers.get(name);
      next.set(
        name,
        previous?.key === key
          ? previous
          : { key, all: this.#buckets(entry.rateLimit, 1), perClient: this.#buckets(entry.clientRateLimit) },
      );
    }
    this.#servers = next;
  }

  admit(request: GateRequest, onAnswer: OnAnswer): GatewayError | null {
    const { sessionId, server } = request;
    const client = clientAddress(request.client);
    const sessions = this.#sessions;
    if (sessionId !== null && sessions) {
      sessions.seen(client, server, sessionId);
      const deleting = request.httpMethod === 'DELETE';
      // MCP "Session Management": a DELETE the server accepts ends the session; a 404 says it is gone.
      onAnswer((status) => {
        if (status === 404 || (deleting && status < 300)) sessions.ended(client, server, sessionId);
      });
    }
    const messages = request.messages;
    if (messages === null) return null;
    const rates = this.#servers.size === 0 ? undefined : this.#servers.get(server);
    if (rates) {
      const requests = countRequests(messages);
      const refusal = requests === 0 ? null : this.#rate(rates, server, client, requests);
      if (refusal) return refusal;
    }
    // Only an initialize that will be forwarded counts toward the client's sessions, and only until it is
    // refused (an OAuth challenge, a server error): then it opened nothing.
    if (sessions && sessionId === null && !request.legacy && startsSession(messages)) {
      const refusal = sessions.opening(client);
      if (!refusal) onAnswer((status) => status >= 400 && sessions.openingFailed(client));
      return refusal;
    }
    return null;
  }

  limits(server: string): boolean {
    return this.#servers.size > 0 && this.#servers.has(server);
  }

  #rate(rates: ServerRates, server: string, client: string, requests: number): GatewayError | null {
    const perClient = rates.perClient;
    if (perClient) {
      const wait = perClient.take(client, requests);
      if (wait > 0) {
        this.#counts.hit('clientRate');
        return rateLimited(
          `Client ${client} sends server "${server}" more than ${describeRate(perClient.rate)} requests ("clientRateLimit" in mcp.json).`,
          wait,
        );
      }
    }
    const all = rates.all;
    if (all) {
      const wait = all.take('', requests);
      if (wait > 0) {
        // The client's own share was not used after all.
        perClient?.refund(client, requests);
        this.#counts.hit('serverRate');
        return rateLimited(
          `Server "${server}" gets more than ${describeRate(all.rate)} requests from all clients together ("rateLimit" in mcp.json).`,
          wait,
        );
      }
    }
    return null;
  }

  #buckets(spec: ServerRateLimits['rateLimit'], maxKeys?: number): TokenBuckets | null {
    if (!spec) return null;
    const perMs = parsePeriod(spec.per);
    if (perMs === null) return null;
    const rate: Rate = { requests: spec.requests, perMs };
    return new TokenBuckets(rate, { maxKeys, now: this.#now });
  }
}

function countRequests(messages: readonly unknown[]): number {
  let requests = 0;
  for (const message of messages) if (classifyMessage(message).kind === 'request') requests++;
  return requests;
}

/** `initialize` opens a session (MCP "Lifecycle"); only then may the server hand out a session id. */
function startsSession(messages: readonly unknown[]): boolean {
  const first = messages[0] as { method?: unknown } | null | undefined;
  return messages.length === 1 && typeof first === 'object' && first?.method === 'initialize';
}

/**
 * A rate limit's answer: 429 (RFC 6585 §4) with Retry-After, as a JSON-RPC error with the gateway's own
 * code (JSON-RPC 2.0 §5.1, the server-error range) whose `data.retryAfter` says the same in seconds.
 */
function rateLimited(what: string, waitMs: number): GatewayError {
  const seconds = retryAfterSeconds(waitMs);
  return new GatewayError(429, `${what} Retry after ${seconds} s.`, {
    headers: { 'retry-after': String(seconds) },
    data: { retryAfter: seconds },
  });
}
