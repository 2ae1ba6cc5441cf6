import { randomUUID } from 'node:crypto';
import type { Direction } from '../core/jsonrpc.js';
import type { Filter } from '../filter/ast.js';
import { type MatchFacts, matchFilter } from '../filter/match.js';
import type { MessageHook } from './stage.js';
import type { StagedMessage } from './staged-message.js';
import type { Verdict } from './verdict.js';

/**
 * Breakpoints: rules in the filter language that hold a matching message at the gateway until a person
 * forwards it (as it was, or edited), drops it, or answers it in the other party's place. A hold never
 * hangs its sender forever: each rule has a timeout after which the message is forwarded or failed, as
 * the rule says. Held messages live here, in the gateway, so a reloaded UI finds them again.
 */

export type OnTimeout = 'forward' | 'fail';

export interface BreakpointRule {
  id: string;
  filter: string;
  direction: Direction | null;
  timeoutMs: number;
  onTimeout: OnTimeout;
  /** The servers the rule is limited to (the scope of the token that added it), or null for all. */
  servers: readonly string[] | null;
  createdAt: number;
  /** Messages the rule has held so far. */
  hits: number;
}

export interface HeldMessage {
  id: number;
  ruleId: string;
  server: string;
  direction: Direction;
  sessionId: string | null;
  clientName: string | null;
  kind: string;
  method: string | null;
  /** The message as it was sent, parsed. */
  message: unknown;
  summary: string;
  size: number;
  heldAt: number;
  /** When the rule's timeout releases it, and how. */
  releaseAt: number;
  onTimeout: OnTimeout;
  /** Only a request can be answered with a crafted response. */
  canReply: boolean;
}

export type Release =
  | 'forward'
  | 'drop'
  | 'reply'
  | 'timeout-forward'
  | 'timeout-fail'
  | 'gone'
  | 'shutdown'
  | 'rule-removed';

export type BreakpointEvent =
  | { type: 'held'; held: HeldMessage }
  | { type: 'released'; held: HeldMessage; how: Release };

export const BREAKPOINT_LIMITS = {
  rules: 100,
  held: 200,
  /** Bytes of held messages together: past this, matching messages pass (and are counted). */
  heldBytes: 64 * 1024 * 1024,
  minTimeoutMs: 100,
  maxTimeoutMs: 60 * 60_000,
  defaultTimeoutMs: 60_000,
};

interface Holding {
  held: HeldMessage;
  resolve: (verdict: Verdict) => void;
  timer: NodeJS.Timeout;
  cleanup: () => void;
}

interface ArmedRule {
  rule: BreakpointRule;
  filter: Filter;
}

export class Breakpoints implements MessageHook {
  readonly name = 'breakpoints';
  readonly #rules = new Map<string, ArmedRule>();
  readonly #held = new Map<number, Holding>();
  readonly #listeners = new Set<(event: BreakpointEvent) => void>();
  readonly #limits: typeof BREAKPOINT_LIMITS;
  #heldBytes = 0;
  #nextHeld = 1;
  /** Matching messages let through because the held cap was reached. */
  passedOverCap = 0;

  constructor(limits: Partial<typeof BREAKPOINT_LIMITS> = {}) {
    this.#limits = { ...BREAKPOINT_LIMITS, ...limits };
  }

  get limits(): typeof BREAKPOINT_LIMITS {
    return this.#limits;
  }

  get armed(): boolean {
    return this.#rules.size > 0;
  }

  onEvent(listener: (event: BreakpointEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  rules(): BreakpointRule[] {
    return [...this.#rules.values()].map((armed) => ({ ...armed.rule }));
  }

  /** Adds a rule already parsed and checked (see api/intercepts.ts); null when the cap is reached. */
  add(rule: Omit<BreakpointRule, 'id' | 'createdAt' | 'hits'>, filter: Filter): BreakpointRule | null {
    if (this.#rules.size >= this.#limits.rules) return null;
    const full: BreakpointRule = { ...rule, id: randomUUID().slice(0, 8), createdAt: Date.now(), hits: 0 };
    this.#rules.set(full.id, { rule: full, filter });
    return { ...full };
  }

  rule(id: string): BreakpointRule | undefined {
    const armed = this.#rules.get(id);
    return armed ? { ...armed.rule } : undefined;
  }

  /** Removes a rule; what it holds goes on (a removed breakpoint no longer stands in the way). */
  remove(id: string): boolean {
    if (!this.#rules.delete(id)) return false;
    for (const holding of [...this.#held.values()]) {
      if (holding.held.ruleId === id) this.#settle(holding, { action: 'pass' }, 'rule-removed');
    }
    return true;
  }

  held(): HeldMessage[] {
    return [...this.#held.values()].map((h) => h.held);
  }

  get(id: number): HeldMessage | undefined {
    return this.#held.get(id)?.held;
  }

  /** Releases a held message with the person's verdict; false when it is no longer held. */
  release(id: number, verdict: Verdict, how: Release): boolean {
    const holding = this.#held.get(id);
    if (!holding) return false;
    this.#settle(holding, verdict, how);
    return true;
  }

  /**
   * Shutdown: every held message fails (its sender gets the gateway's JSON-RPC error). Forwarding would
   * send on what nobody approved, such as the tool call a breakpoint was set to look at first.
   */
  releaseAll(): number {
    const count = this.#held.size;
    for (const holding of [...this.#held.values()]) {
      this.#settle(
        holding,
        { action: 'drop', reason: 'the gateway shut down while it held the message' },
        'shutdown',
      );
    }
    return count;
  }

  inspect(message: StagedMessage, facts: MatchFacts): Promise<Verdict> | null {
    const armed = this.#match(message, facts);
    if (!armed) return null;
    const size = facts.size;
    if (this.#held.size >= this.#limits.held || this.#heldBytes + size > this.#limits.heldBytes) {
      this.passedOverCap++;
      return null;
    }
    armed.rule.hits++;
    return this.#hold(message, facts, armed.rule);
  }

  #match(message: StagedMessage, facts: MatchFacts): ArmedRule | undefined {
    for (const armed of this.#rules.values()) {
      const { rule } = armed;
      if (rule.direction !== null && rule.direction !== message.direction) continue;
      if (rule.servers !== null && !rule.servers.includes(message.server)) continue;
      if (matchFilter(armed.filter, facts, { now: Date.now() })) return armed;
    }
    return undefined;
  }

  #hold(message: StagedMessage, facts: MatchFacts, rule: BreakpointRule): Promise<Verdict> {
    const now = Date.now();
    const held: HeldMessage = {
      id: this.#nextHeld++,
      ruleId: rule.id,
      server: message.server,
      direction: message.direction,
      sessionId: message.sessionId,
      clientName: message.clientName,
      kind: facts.kind,
      method: facts.method,
      message: message.value,
      summary: facts.summary,
      size: facts.size,
      heldAt: now,
      releaseAt: now + rule.timeoutMs,
      onTimeout: rule.onTimeout,
      canReply: facts.kind === 'request',
    };
    return new Promise<Verdict>((resolve) => {
      const signal = message.signal;
      const onAbort = () => this.#settle(holding, { action: 'drop', reason: 'its sender went away' }, 'gone');
      const timer = setTimeout(() => {
        const seconds = Math.round(rule.timeoutMs / 100) / 10;
        const verdict: Verdict =
          rule.onTimeout === 'forward'
            ? { action: 'pass' }
            : {
                action: 'drop',
                reason: `nobody released it within the breakpoint's timeout of ${seconds} s`,
              };
        this.#settle(holding, verdict, rule.onTimeout === 'forward' ? 'timeout-forward' : 'timeout-fail');
      }, rule.timeoutMs);
      timer.unref();
      const holding: Holding = {
        held,
        resolve,
        timer,
        cleanup: () => signal?.removeEventListener('abort', onAbort),
      };
      this.#held.set(held.id, holding);
      this.#heldBytes += held.size;
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#emit({ type: 'held', held });
      if (signal?.aborted) onAbort();
    });
  }

  #settle(holding: Holding, verdict: Verdict, how: Release): void {
    if (!this.#held.delete(holding.held.id)) return;
    this.#heldBytes -= holding.held.size;
    clearTimeout(holding.timer);
    holding.cleanup();
    holding.resolve(verdict);
    this.#emit({ type: 'released', held: holding.held, how });
  }

  #emit(event: BreakpointEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A listener's failure (a closed live stream) must not keep a message held.
      }
    }
  }
}
