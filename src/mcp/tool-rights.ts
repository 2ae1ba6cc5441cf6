import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { Identity } from '../auth/identity.js';
import { type Role, requireRole, roleAllows } from '../auth/roles.js';
import { GatewayError } from '../core/errors.js';
import { failure } from './results.js';

/**
 * The role each management tool needs, as route-rights.ts is for REST: reading traffic, sessions, stats
 * and servers is a viewer's; changing servers and deleting records an operator's. A tool missing here
 * needs admin (test/mcp/tool-rights.test.ts fails when one is missing).
 */
export const TOOL_RIGHTS: Readonly<Record<string, Role>> = {
  list_servers: 'viewer',
  search_records: 'viewer',
  get_record: 'viewer',
  get_session: 'viewer',
  get_stats: 'viewer',
  diff_records: 'viewer',
  get_tool_changes: 'viewer',
  list_faults: 'viewer',
  add_server: 'operator',
  update_server: 'operator',
  remove_server: 'operator',
  restart_server: 'operator',
  clear_records: 'operator',
  list_intercepts: 'viewer',
  // Held messages are traffic before redaction: only those who may act on them read them.
  list_held_messages: 'operator',
  add_intercept: 'operator',
  remove_intercept: 'operator',
  release_held_message: 'operator',
  add_fault: 'operator',
  remove_fault: 'operator',
  replay_record: 'operator',
};

export function toolRight(name: string): Role {
  return TOOL_RIGHTS[name] ?? 'admin';
}

type ToolHandler = (...args: unknown[]) => unknown;

/**
 * Makes `server` offer `identity` only the tools its role allows: `tools/list` leaves the others out (a
 * viewer's agent is not tempted by tools it cannot use), and calling one anyway is an error result that
 * names the role needed. Call it before any tool is registered. The SDK has no per-caller tool list, so
 * this wraps the two places where one is decided: the `tools/list` handler, and each tool's handler.
 */
export function limitToolsByRole(server: McpServer, identity: Pick<Identity, 'role' | 'actor'>): void {
  const allowed = (name: string) => roleAllows(identity.role, toolRight(name));
  const low = server.server;
  const setRequestHandler = low.setRequestHandler.bind(low) as (
    schema: unknown,
    handler: ToolHandler,
  ) => void;
  low.setRequestHandler = ((schema: unknown, handler: ToolHandler) => {
    if (schema !== ListToolsRequestSchema) return setRequestHandler(schema, handler);
    return setRequestHandler(schema, async (...args) => {
      const result = (await handler(...args)) as { tools: { name: string }[] };
      return { ...result, tools: result.tools.filter((tool) => allowed(tool.name)) };
    });
  }) as typeof low.setRequestHandler;
  const registerTool = server.registerTool.bind(server) as (
    name: string,
    config: unknown,
    handler: ToolHandler,
  ) => unknown;
  server.registerTool = ((name: string, config: unknown, handler: ToolHandler) =>
    registerTool(name, config, async (...args) => {
      try {
        requireRole(identity, toolRight(name), `The ${name} tool`);
      } catch (error) {
        if (error instanceof GatewayError) return failure(error.message);
        throw error;
      }
      return handler(...args);
    })) as typeof server.registerTool;
}
