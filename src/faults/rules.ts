import { GatewayError } from '../core/errors.js';
import type { Filter } from '../filter/ast.js';
import { compileRuleFilter, type FaultInput } from './parse-rule.js';
import type { FaultRule } from './rule.js';

/** Who adds or removes a rule: the actor for the record, and the servers their token reaches. */
export interface RuleAuthor {
  actor: string;
  servers: readonly string[] | null;
}

/** Enough for any test plan; a cap keeps a runaway script from growing the proxy's per-message work. */
export const MAX_FAULT_RULES = 50;

/** A rule with its filter parsed, as the stage matches it. */
export interface ArmedFault {
  rule: FaultRule;
  filter: Filter;
}

/**
 * The armed fault rules, in memory only. They do not survive a restart on purpose: a rule that makes a
 * server fail is a test fixture, and one forgotten in a file would make a real agent fail days later with
 * nothing in sight to explain it. A restart is the way back to a gateway that forwards faithfully.
 *
 * A rule added with a server-scoped token carries that scope: it touches only those servers' traffic, and
 * only principals that reach all of them see or remove it.
 */
export class FaultRules {
  private rules: ArmedFault[] = [];
  private next = 1;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly max = MAX_FAULT_RULES,
    private readonly now: () => number = Date.now,
  ) {}

  /** The one cheap check on the proxy's path: nothing armed, nothing to match. */
  get armed(): boolean {
    return this.rules.length > 0;
  }

  /** Every rule, in the order added, for the stage that applies them. */
  all(): readonly ArmedFault[] {
    return this.rules;
  }

  /** The rules a principal with `servers` may see: all for an unscoped one, else those confined to them. */
  visibleTo(servers: readonly string[] | null): FaultRule[] {
    return this.rules.filter(({ rule }) => reaches(servers, rule)).map(({ rule }) => ({ ...rule }));
  }

  add(input: FaultInput, author: RuleAuthor): FaultRule {
    if (this.rules.length >= this.max) {
      throw new GatewayError(
        409,
        `There are already ${this.max} fault rules, the most the gateway keeps: remove some (DELETE /api/faults/<id>) before adding another.`,
      );
    }
    const rule: FaultRule = {
      id: `f${this.next++}`,
      ...input,
      servers: author.servers === null ? null : [...author.servers],
      createdBy: author.actor,
      createdAt: new Date(this.now()).toISOString(),
      fired: 0,
    };
    this.rules = [...this.rules, { rule, filter: compileRuleFilter(input.filter) }];
    this.changed();
    return { ...rule };
  }

  /** Removes a rule the author may see; a rule beyond their reach is as unknown as a missing one (404). */
  remove(id: string, author: RuleAuthor): FaultRule {
    const found = this.rules.find(({ rule }) => rule.id === id && reaches(author.servers, rule));
    if (!found) {
      throw new GatewayError(404, `No fault rule "${id}". GET /api/faults lists the rules that are armed.`);
    }
    this.rules = this.rules.filter((armed) => armed !== found);
    this.changed();
    return { ...found.rule };
  }

  /** Counts a hit (the rule's `fired`). */
  fired(rule: FaultRule): void {
    rule.fired++;
  }

  /** Rules were added or removed. Returns the way to stop listening. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

function reaches(servers: readonly string[] | null, rule: FaultRule): boolean {
  if (servers === null) return true;
  return rule.servers?.every((name) => servers.includes(name)) ?? false;
}
