import { setTimeout as sleep } from 'node:timers/promises';
import { classifyMessage } from '../core/jsonrpc.js';
import type { MatchFacts } from '../filter/match.js';
import { factsOf, type StagedMessage } from './staged-message.js';
import { PASS, type Verdict } from './verdict.js';

/**
 * One thing that may act on messages in flight: breakpoints (a person decides), fault rules (chance
 * decides). `armed` must be cheap: the proxy asks the stage before every message.
 */
export interface MessageHook {
  readonly name: string;
  readonly armed: boolean;
  /** A verdict for the message, or null when none of the hook's rules match it. */
  inspect(message: StagedMessage, facts: MatchFacts): Verdict | null | Promise<Verdict | null>;
}

/** Upper bound of a delay a verdict may ask for: nothing holds a message longer than this by accident. */
export const MAX_DELAY_MS = 10 * 60_000;

/**
 * The message stage (SEAMS S6): every JSON-RPC message passes it at the gateway's choke points, client to
 * server (the HTTP proxy, for HTTP and stdio servers alike) and server to client (HTTP upstream answers and
 * streams, what stdio sessions deliver). When no hook is armed a choke point asks `armed` and goes on
 * untouched: that one check is all it costs. Hooks run in the order they were added; an edit is what the
 * next hook sees; the first verdict that is not pass or edit ends the run.
 */
export class MessageStage {
  readonly #hooks: MessageHook[] = [];

  /** True when some hook has something armed: only then is a message staged. */
  get armed(): boolean {
    for (const hook of this.#hooks) if (hook.armed) return true;
    return false;
  }

  /** Adds a hook; returns what removes it. */
  use(hook: MessageHook): () => void {
    this.#hooks.push(hook);
    return () => {
      const at = this.#hooks.indexOf(hook);
      if (at !== -1) this.#hooks.splice(at, 1);
    };
  }

  /**
   * The verdict on one message, its delay already waited out. A hook that throws is skipped (and the
   * message passes): a broken rule must not break traffic.
   */
  async run(message: StagedMessage): Promise<Verdict> {
    let current = message;
    let edited: Verdict | null = null;
    for (const hook of this.#hooks) {
      if (!hook.armed) continue;
      let verdict: Verdict | null;
      try {
        verdict = await hook.inspect(current, factsOf(current));
      } catch {
        verdict = null;
      }
      if (!verdict) continue;
      if (verdict.delayMs) await sleep(Math.min(verdict.delayMs, MAX_DELAY_MS), undefined, { ref: false });
      if (verdict.action === 'pass') continue;
      if (verdict.action !== 'edit') return verdict;
      edited = verdict;
      const text = JSON.stringify(verdict.message);
      current = { ...current, text, value: verdict.message, shape: classifyMessage(verdict.message) };
    }
    return edited ? { action: 'edit', message: edited.message } : PASS;
  }
}
