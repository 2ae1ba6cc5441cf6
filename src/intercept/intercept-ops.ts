import { type Scope, scopeFilter } from '../auth/scope.js';
import { GatewayError } from '../core/errors.js';
import type { Direction } from '../core/jsonrpc.js';
import { andFilters } from '../filter/ast.js';
import { inFlightProblem } from '../filter/match.js';
import { parseFilter } from '../filter/parser.js';
import {
  BREAKPOINT_LIMITS,
  type BreakpointRule,
  type Breakpoints,
  type HeldMessage,
  type OnTimeout,
} from './breakpoints.js';
import type { Verdict } from './verdict.js';

/**
 * What REST (api/intercepts.ts) and the management MCP tools (mcp/tools/intercepts.ts) do with
 * breakpoints, once: input checked with errors that say how to fix it, and the caller's server scope
 * applied, so a scoped token sees and acts on its own servers' rules and held messages only.
 */

const DIRECTIONS: Readonly<Record<string, Direction>> = {
  client_to_server: 'client_to_server',
  server_to_client: 'server_to_client',
  c2s: 'client_to_server',
  s2c: 'server_to_client',
};

export interface RuleInput {
  filter?: unknown;
  direction?: unknown;
  timeoutMs?: unknown;
  onTimeout?: unknown;
}

export function addRule(breakpoints: Breakpoints, input: RuleInput, scope: Scope): BreakpointRule {
  if (typeof input.filter !== 'string') {
    throw new GatewayError(
      400,
      '"filter" must be a filter in the filter language, such as "method:tools/call tool:delete_file" (docs/filter-language.md).',
    );
  }
  // A FilterError (400 with the position of the problem) when the filter cannot be read.
  const parsed = parseFilter(input.filter);
  const problem = inFlightProblem(parsed);
  if (problem) throw problem;
  let direction: Direction | null = null;
  if (input.direction !== undefined && input.direction !== null) {
    direction = DIRECTIONS[String(input.direction)] ?? null;
    if (!direction) {
      throw new GatewayError(
        400,
        `"direction" must be client_to_server (c2s) or server_to_client (s2c), or left out for both; got ${JSON.stringify(input.direction)}.`,
      );
    }
  }
  const { minTimeoutMs, maxTimeoutMs, defaultTimeoutMs } = BREAKPOINT_LIMITS;
  const timeoutMs = input.timeoutMs ?? defaultTimeoutMs;
  if (
    typeof timeoutMs !== 'number' ||
    !Number.isInteger(timeoutMs) ||
    timeoutMs < minTimeoutMs ||
    timeoutMs > maxTimeoutMs
  ) {
    throw new GatewayError(
      400,
      `"timeoutMs" must be a whole number of milliseconds from ${minTimeoutMs} to ${maxTimeoutMs} (default ${defaultTimeoutMs}); got ${JSON.stringify(input.timeoutMs)}.`,
    );
  }
  const onTimeout = input.onTimeout ?? 'forward';
  if (onTimeout !== 'forward' && onTimeout !== 'fail') {
    throw new GatewayError(
      400,
      `"onTimeout" must be "forward" (send the message on) or "fail" (its sender gets an error); got ${JSON.stringify(input.onTimeout)}.`,
    );
  }
  const servers = scope === null ? null : [...scope];
  // A scoped token's rule only ever matches its own servers.
  const filter = servers ? andFilters(parsed, scopeFilter(servers)) : parsed;
  const rule = breakpoints.add(
    { filter: input.filter, direction, timeoutMs, onTimeout: onTimeout as OnTimeout, servers },
    filter,
  );
  if (!rule) {
    throw new GatewayError(
      409,
      `There are already ${breakpoints.limits.rules} breakpoint rules, the most the gateway keeps. Remove one (DELETE /api/intercepts/<id>) first.`,
    );
  }
  return rule;
}

/** A rule is a scoped caller's when every server it may match is one of theirs. */
function ruleVisible(rule: BreakpointRule, scope: Scope): boolean {
  if (scope === null) return true;
  return rule.servers?.every((server) => scope.includes(server)) ?? false;
}

export function listRules(breakpoints: Breakpoints, scope: Scope): BreakpointRule[] {
  return breakpoints.rules().filter((rule) => ruleVisible(rule, scope));
}

export function removeRule(breakpoints: Breakpoints, id: string, scope: Scope): BreakpointRule {
  const rule = breakpoints.rule(id);
  if (!rule || !ruleVisible(rule, scope)) {
    throw new GatewayError(
      404,
      `No breakpoint rule "${id}". GET /api/intercepts lists the rules (and their ids).`,
    );
  }
  breakpoints.remove(id);
  return rule;
}

export function listHeld(breakpoints: Breakpoints, scope: Scope): HeldMessage[] {
  return breakpoints.held().filter((held) => scope === null || scope.includes(held.server));
}

export type ReleaseAction = 'forward' | 'drop' | 'reply';

function jsonObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new GatewayError(400, `"message" must be ${what} as a JSON object; nothing was released.`);
  }
  return value as Record<string, unknown>;
}

/**
 * Releases a held message: forward (optionally edited), drop, or reply with a crafted response. An edited
 * message keeps the id of the one it replaces: its sender's answer must still find its request.
 */
export function releaseHeld(
  breakpoints: Breakpoints,
  id: number,
  action: ReleaseAction,
  message: unknown,
  scope: Scope,
): HeldMessage {
  const held = breakpoints.get(id);
  if (!held || (scope !== null && !scope.includes(held.server))) {
    throw new GatewayError(
      404,
      `No held message ${id}: it was released, timed out, or its sender went away. GET /api/intercepts/held lists what is held now.`,
    );
  }
  let verdict: Verdict;
  if (action === 'forward') {
    if (message === undefined || message === null) verdict = { action: 'pass' };
    else {
      const edited: Record<string, unknown> = {
        ...jsonObject(message, 'the edited JSON-RPC message'),
        jsonrpc: '2.0',
      };
      const original = held.message as { id?: unknown };
      if (original && typeof original === 'object' && 'id' in original) edited.id = original.id;
      verdict = { action: 'edit', message: edited };
    }
  } else if (action === 'reply') {
    if (!held.canReply) {
      throw new GatewayError(
        400,
        `Held message ${id} is a ${held.kind}, and only a request can be answered. Forward it (edited if you like) or drop it.`,
      );
    }
    verdict = {
      action: 'reply',
      message: jsonObject(message, 'the response to send (with "result" or "error")'),
    };
  } else {
    verdict = { action: 'drop', reason: 'a person dropped it at a breakpoint' };
  }
  breakpoints.release(id, verdict, action);
  return held;
}
