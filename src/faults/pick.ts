import { type MatchFacts, matchFilter } from '../filter/match.js';
import type { RandomSource } from './random.js';
import type { FaultRule } from './rule.js';
import type { ArmedFault } from './rules.js';

/**
 * Whether a rule's action can be done to this message at all: only a request can be answered in the other
 * party's place (an error, an HTTP status), only the client's own HTTP request gets a status, and a stream
 * cut ends what the server sends. A rule whose filter matches more (`method:tools/call` matches the
 * response too) leaves the rest alone rather than half-apply.
 */
function applies(rule: FaultRule, facts: MatchFacts): boolean {
  if (rule.direction !== null && rule.direction !== facts.direction) return false;
  if (rule.servers !== null && !rule.servers.includes(facts.server)) return false;
  if ((rule.error || rule.httpStatus !== undefined) && facts.kind !== 'request') return false;
  if (rule.httpStatus !== undefined && facts.direction !== 'client_to_server') return false;
  if (rule.cut === 'stream' && facts.direction !== 'server_to_client') return false;
  return true;
}

/**
 * The first armed rule that hits this message: it applies, its filter matches, and its chance comes up.
 * Each matching rule draws once, in the order the rules were added; the first hit wins.
 */
export function pickFault(
  rules: readonly ArmedFault[],
  facts: MatchFacts,
  random: RandomSource,
  now: number,
): FaultRule | null {
  for (const { rule, filter } of rules) {
    if (!applies(rule, facts) || !matchFilter(filter, facts, { now })) continue;
    // probability 0 never fires and 1 always does, whatever the source returns.
    if (rule.probability <= 0) continue;
    if (rule.probability >= 1 || random() < rule.probability) return rule;
  }
  return null;
}
