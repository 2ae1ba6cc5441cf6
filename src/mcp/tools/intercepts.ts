import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { Scope } from '../../auth/scope.js';
import type { Breakpoints, HeldMessage } from '../../intercept/breakpoints.js';
import { addRule, listHeld, listRules, releaseHeld, removeRule } from '../../intercept/intercept-ops.js';
import { failure, guarded, ok } from '../results.js';

const item = z.record(z.string(), z.unknown());

function heldLine(held: HeldMessage): string {
  const seconds = Math.max(0, Math.round((held.releaseAt - Date.now()) / 1000));
  return `#${held.id} ${held.server} ${held.direction === 'client_to_server' ? '→' : '←'} ${held.summary || held.method || held.kind} (rule ${held.ruleId}; ${held.onTimeout === 'forward' ? 'forwarded' : 'failed'} in ${seconds} s unless released)`;
}

/**
 * list_intercepts, add_intercept, remove_intercept, list_held_messages, release_held_message: the
 * breakpoints of /api/intercepts as tools, through the same operations and the caller's server scope.
 */
export function registerInterceptTools(
  server: McpServer,
  breakpoints: Breakpoints,
  scope: () => Scope,
): void {
  server.registerTool(
    'list_intercepts',
    {
      title: 'List breakpoints',
      description:
        'The breakpoint rules that hold matching messages at the gateway until someone releases them (or their timeout does).',
      inputSchema: {},
      outputSchema: { rules: z.array(item) },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async () =>
      guarded(() => {
        const rules = listRules(breakpoints, scope());
        const text =
          rules.length === 0
            ? 'No breakpoints are set.'
            : rules
                .map(
                  (r) =>
                    `${r.id}: ${r.filter || '(everything)'}${r.direction ? ` [${r.direction}]` : ''}, timeout ${r.timeoutMs} ms then ${r.onTimeout}, ${r.hits} held so far`,
                )
                .join('\n');
        return ok({ rules }, text);
      }),
  );

  server.registerTool(
    'add_intercept',
    {
      title: 'Set a breakpoint',
      description:
        'Holds every message that matches a filter (the search_records filter language, e.g. "method:tools/call tool:delete_file") at the gateway until it is forwarded, edited, dropped or answered (release_held_message, or the web UI\'s Breakpoints screen). After timeoutMs (default 60000) a held message is forwarded, or failed with onTimeout "fail". Fields only stored records have (duration, time, id) cannot be used.',
      inputSchema: {
        filter: z.string().describe('such as "method:tools/call tool:delete_file"'),
        direction: z.enum(['client_to_server', 'server_to_client']).optional(),
        timeoutMs: z.number().int().optional(),
        onTimeout: z.enum(['forward', 'fail']).optional(),
      },
      outputSchema: { rule: item },
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false },
    },
    async (args) =>
      guarded(() => {
        const rule = addRule(breakpoints, args, scope());
        return ok({ rule }, `Breakpoint ${rule.id} set: ${rule.filter || '(everything)'}.`);
      }),
  );

  server.registerTool(
    'remove_intercept',
    {
      title: 'Remove a breakpoint',
      description: 'Removes a breakpoint rule by id; the messages it holds go on to where they were sent.',
      inputSchema: { id: z.string() },
      outputSchema: { removed: item },
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false },
    },
    async ({ id }) =>
      guarded(() => {
        const rule = removeRule(breakpoints, id, scope());
        return ok({ removed: rule }, `Breakpoint ${rule.id} removed.`);
      }),
  );

  server.registerTool(
    'list_held_messages',
    {
      title: 'List held messages',
      description: 'The messages breakpoints hold now, whole, each with its id for release_held_message.',
      inputSchema: {},
      outputSchema: { held: z.array(item) },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async () =>
      guarded(() => {
        const held = listHeld(breakpoints, scope());
        return ok({ held }, held.length === 0 ? 'No message is held.' : held.map(heldLine).join('\n'));
      }),
  );

  server.registerTool(
    'release_held_message',
    {
      title: 'Release a held message',
      description:
        'forward: sends it on (with "message", an edited JSON-RPC message instead; its id is kept). drop: its sender gets a JSON-RPC error saying the gateway dropped it. reply: answers a held request in the other party\'s place with "message" ({"result": ...} or {"error": {...}}).',
      inputSchema: {
        id: z.number().int(),
        action: z.enum(['forward', 'drop', 'reply']),
        message: z.record(z.string(), z.unknown()).optional(),
      },
      outputSchema: { released: item, action: z.string() },
      annotations: { readOnlyHint: false, destructiveHint: true, openWorldHint: false },
    },
    async ({ id, action, message }) =>
      guarded(() => {
        if (action === 'reply' && message === undefined) {
          return failure(
            'A reply needs "message": the response to send, such as {"result": {"content": []}}. Nothing was released.',
          );
        }
        const held = releaseHeld(breakpoints, id, action, message, scope());
        return ok({ released: held, action }, `Held message ${held.id} released: ${action}.`);
      }),
  );
}
