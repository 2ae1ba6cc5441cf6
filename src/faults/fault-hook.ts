import type { MatchFacts } from '../filter/match.js';
import type { MessageHook } from '../intercept/stage.js';
import { idOf, type StagedMessage } from '../intercept/staged-message.js';
import type { Verdict } from '../intercept/verdict.js';
import { pickFault } from './pick.js';
import type { RandomSource } from './random.js';
import type { FaultRule } from './rule.js';
import type { FaultRules } from './rules.js';

/** What the gateway does for a rule that hit: one verdict of the message stage (intercept/verdict.ts). */
export function faultVerdict(rule: FaultRule, message: StagedMessage): Verdict {
  const delay = rule.delayMs === undefined ? {} : { delayMs: rule.delayMs };
  const note = `injected by fault rule ${rule.id} (${rule.filter})`;
  if (rule.cut) return { action: 'cut', ...delay, note };
  if (rule.httpStatus !== undefined) {
    const body = rule.error ? { jsonrpc: '2.0', id: idOf(message), error: { ...rule.error } } : undefined;
    return { action: 'status', status: rule.httpStatus, ...(body ? { message: body } : {}), ...delay, note };
  }
  if (rule.error) return { action: 'reply', message: { error: { ...rule.error } }, ...delay, note };
  return { action: 'pass', ...delay };
}

/**
 * The fault rules as a hook of the message stage: free when none is armed (the stage asks `armed` first);
 * otherwise the first rule that applies, matches and draws its chance decides the message's verdict.
 */
export function faultHook(
  rules: FaultRules,
  random: RandomSource = Math.random,
  now: () => number = Date.now,
): MessageHook {
  return {
    name: 'faults',
    get armed() {
      return rules.armed;
    },
    inspect(message: StagedMessage, facts: MatchFacts): Verdict | null {
      const rule = pickFault(rules.all(), facts, random, now());
      if (!rule) return null;
      rules.fired(rule);
      return faultVerdict(rule, message);
    },
  };
}
