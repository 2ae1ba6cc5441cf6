import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { Identity } from '../../auth/identity.js';
import { parseFaultInput } from '../../faults/parse-rule.js';
import { describeAction, type FaultRule } from '../../faults/rule.js';
import type { FaultRules } from '../../faults/rules.js';
import { guarded, ok } from '../results.js';

const faultSchema = z.object({
  id: z.string(),
  filter: z.string(),
  direction: z.enum(['client_to_server', 'server_to_client']).nullable(),
  delayMs: z.number().optional(),
  error: z.object({ code: z.number(), message: z.string() }).optional(),
  httpStatus: z.number().optional(),
  cut: z.enum(['connection', 'stream']).optional(),
  probability: z.number(),
  servers: z.array(z.string()).nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  fired: z.number(),
});

const faultLine = (rule: FaultRule) =>
  `${rule.id}  ${rule.filter}${rule.direction ? ` (${rule.direction})` : ''} → ${describeAction(rule)}; hit ${rule.fired} time(s)`;

/** Plain JSON for structuredContent (the SDK checks it against faultSchema). */
const asJson = (rule: FaultRule) => ({ ...rule, servers: rule.servers === null ? null : [...rule.servers] });

/** list_faults, add_fault, remove_fault: the same rules as /api/faults, within the caller's server scope. */
export function registerFaultTools(server: McpServer, rules: FaultRules, principal: Identity): void {
  const author = { actor: principal.actor, servers: principal.servers };

  server.registerTool(
    'list_faults',
    {
      title: 'List fault rules',
      description:
        'The fault injection rules armed in the gateway: which messages they hit (a filter), what they do (delay, JSON-RPC error, HTTP status, cut connection or SSE stream), with what probability, and how often they fired.',
      inputSchema: {},
      outputSchema: { faults: z.array(faultSchema) },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async () =>
      guarded(() => {
        const faults = rules.visibleTo(principal.servers);
        const text =
          faults.length === 0
            ? 'No fault rules are armed: the gateway forwards every message as it is.'
            : faults.map(faultLine).join('\n');
        return ok({ faults: faults.map(asJson) }, text);
      }),
  );

  server.registerTool(
    'add_fault',
    {
      title: 'Add a fault rule',
      description:
        'Makes the gateway misbehave on purpose, to test how an agent copes with slow, failing and flaky servers. Messages matching the filter (search_records\' filter language, plus tool:<name>) are delayed (delayMs), answered in the server\'s place with a JSON-RPC error (error) or an HTTP status (httpStatus, client requests only), or cut (cut: "connection" or "stream" for the SSE stream carrying an answer), each with a probability. A delay may come with one other action. Injected answers are captured as injected. Rules live until removed or the gateway restarts; remove them with remove_fault when done.',
      inputSchema: {
        filter: z
          .string()
          .describe('the messages to hit, such as "method:tools/call tool:echo"; "*" for all'),
        direction: z
          .enum(['client_to_server', 'server_to_client'])
          .optional()
          .describe('only messages going this way (default both)'),
        delayMs: z.number().int().optional().describe('hold each message this long before passing it on'),
        error: z
          .object({ code: z.number().int(), message: z.string() })
          .optional()
          .describe('answer requests with this JSON-RPC error, such as {"code": -32603, "message": "boom"}'),
        httpStatus: z.number().int().optional().describe("answer the client's HTTP request with this status"),
        cut: z
          .enum(['connection', 'stream'])
          .optional()
          .describe('close the connection, or end the SSE stream'),
        probability: z
          .number()
          .optional()
          .describe('0 to 1, the chance a matching message is hit (default 1)'),
      },
      outputSchema: { fault: faultSchema },
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: false,
      },
    },
    async (args) =>
      guarded(() => {
        const rule = rules.add(parseFaultInput(args as Record<string, unknown>), author);
        return ok(
          { fault: asJson(rule) },
          `Armed ${faultLine(rule)}. Remove it with remove_fault {"id": "${rule.id}"} when done.`,
        );
      }),
  );

  server.registerTool(
    'remove_fault',
    {
      title: 'Remove a fault rule',
      description: 'Disarms a fault rule by its id (list_faults lists them).',
      inputSchema: { id: z.string().describe('the rule id, such as f1') },
      outputSchema: { fault: faultSchema },
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: false,
      },
    },
    async ({ id }) =>
      guarded(() => {
        const rule = rules.remove(id, author);
        return ok({ fault: asJson(rule) }, `Removed ${rule.id} (${rule.filter} → ${describeAction(rule)}).`);
      }),
  );
}
