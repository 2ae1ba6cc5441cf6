import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { AuditEvent, AuditTrail } from '../audit/audit-trail.js';
import { describeAction, type FaultRule } from '../faults/rule.js';
import { audited, type CallerOf } from './actor.js';

type Args = Record<string, unknown>;

interface ToolAction {
  /** The audit name; a function where the arguments decide it (release_held_message's action). */
  action: string | ((args: Args) => string);
  target: (args: Args) => string | null;
  /** How it ended when the result says more than ok/failed (a held launch, a count). */
  describe?: (result: CallToolResult) => Pick<AuditEvent, 'outcome' | 'detail'> | undefined;
}

const named = (args: Args) => (typeof args.name === 'string' ? args.name : null);

/**
 * How an add or update ended: held for the owner's approval is not yet a change (the approval is audited when
 * it comes), and a launch the person at the client declined is a refusal (consent.ts words it so).
 */
function consentOutcome(result: CallToolResult): Pick<AuditEvent, 'outcome' | 'detail'> | undefined {
  if (result.structuredContent?.status === 'awaiting-approval') {
    return { outcome: 'ok', detail: "held for the owner's approval in the web UI" };
  }
  if (result.isError && /nothing was registered or started/.test(JSON.stringify(result.content))) {
    return { outcome: 'refused', detail: 'the person at the client did not consent to the launch' };
  }
  return undefined;
}

const structured = (key: string, words: (value: unknown) => string) => (result: CallToolResult) =>
  result.isError ? undefined : { outcome: 'ok' as const, detail: words(result.structuredContent?.[key]) };

/**
 * The management tools that change something, as the audit log names them: one table, like the REST
 * API's (audit/rest-actions.ts). Read-only tools are not audited.
 */
export const TOOL_ACTIONS: Readonly<Record<string, ToolAction>> = {
  add_server: { action: 'server.add', target: named, describe: consentOutcome },
  update_server: { action: 'server.update', target: named, describe: consentOutcome },
  remove_server: { action: 'server.remove', target: named },
  restart_server: { action: 'server.restart', target: named, describe: structured('detail', String) },
  add_fault: {
    action: 'fault.add',
    target: (args) => (typeof args.filter === 'string' ? args.filter : null),
    describe: faultOutcome,
  },
  remove_fault: {
    action: 'fault.remove',
    target: (args) => (typeof args.id === 'string' ? args.id : null),
    describe: faultOutcome,
  },
  replay_record: {
    action: 'replay.send',
    target: (args) => (typeof args.id === 'number' ? String(args.id) : null),
    describe: (result) => {
      const replay = result.structuredContent?.replay as { request?: { id?: unknown } | null } | undefined;
      return result.isError || typeof replay?.request?.id !== 'number'
        ? undefined
        : { outcome: 'ok', detail: `replayed as record ${replay.request.id}` };
    },
  },
  clear_records: {
    action: 'records.clear',
    target: (args) =>
      typeof args.filter === 'string' && args.filter !== '' ? args.filter : args.all ? 'all records' : null,
    describe: structured('deleted', (n) => `${n} record(s) deleted`),
  },
  add_intercept: {
    action: 'intercept.add',
    target: (args) => (typeof args.filter === 'string' ? args.filter : null),
  },
  remove_intercept: {
    action: 'intercept.remove',
    target: (args) => (typeof args.id === 'string' ? args.id : null),
  },
  release_held_message: {
    // intercept.forward, intercept.drop or intercept.reply, as the REST API names them.
    action: (args) => `intercept.${typeof args.action === 'string' ? args.action : 'release'}`,
    target: (args) => (typeof args.id === 'number' ? String(args.id) : null),
  },
};

/** "f3: delay 500 ms", as the REST API's fault acts are described. */
function faultOutcome(result: CallToolResult): Pick<AuditEvent, 'outcome' | 'detail'> | undefined {
  const fault = result.structuredContent?.fault as FaultRule | undefined;
  if (result.isError || !fault) return undefined;
  return { outcome: 'ok', detail: `${fault.id}: ${describeAction(fault)}` };
}

type ToolCallback = (args: Args, extra: CallerOf) => Promise<CallToolResult>;

/**
 * Audits every call of the tools in TOOL_ACTIONS that `server` registers from now on, with the caller the
 * request carried: the tools themselves stay as they are, and a new changing tool is audited by one line
 * in the table. Call before the tools are registered.
 */
export function auditToolCalls(server: McpServer, audit: AuditTrail): void {
  const register = server.registerTool.bind(server) as (...args: unknown[]) => unknown;
  const wrapped = (name: string, config: unknown, callback: ToolCallback) => {
    const act = TOOL_ACTIONS[name];
    if (!act) return register(name, config, callback);
    return register(name, config, (args: Args, extra: CallerOf) =>
      audited(
        audit,
        extra,
        {
          action: typeof act.action === 'string' ? act.action : act.action(args),
          target: act.target(args),
        },
        () => callback(args, extra),
        act.describe,
      ),
    );
  };
  (server as unknown as { registerTool: typeof wrapped }).registerTool = wrapped;
}
