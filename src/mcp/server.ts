import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Identity } from '../auth/identity.js';
import { roleAllows } from '../auth/roles.js';
import { scopedReads, scopedStore } from '../auth/scoped-reads.js';
import { scopedRegistry } from '../auth/scoped-registry.js';
import { VERSION } from '../core/version.js';
import type { ManagementDeps } from './deps.js';
import { auditToolCalls } from './tool-actions.js';
import { limitToolsByRole } from './tool-rights.js';
import { registerDiffTools } from './tools/diff.js';
import { registerFaultTools } from './tools/faults.js';
import { registerInterceptTools } from './tools/intercepts.js';
import { registerRecordTools } from './tools/records.js';
import { registerReplayTools } from './tools/replay.js';
import { registerServerTools } from './tools/servers.js';
import { registerStatsTools } from './tools/stats.js';

const INSTRUCTIONS = `This is MCP Gateway's own server. The gateway sits between MCP clients and MCP servers and captures every message. Use list_servers/add_server/update_server/remove_server/restart_server to manage the servers it proxies, search_records/get_record/get_session to investigate captured traffic (why a call failed, what a server returned, how long it took), get_stats for error rates and latency, replay_record to send a captured request again (optionally edited) and compare the answers, diff_records to compare two records or two sessions, get_tool_changes to see how a server's tools changed, clear_records to delete traffic, add_intercept/list_intercepts/remove_intercept to set breakpoints that hold matching messages and list_held_messages/release_held_message to forward, edit, drop or answer what they hold. Starting a program (add_server or update_server with a command) needs the user's consent: the gateway asks the user through this client when it supports elicitation, and otherwise the request waits until the owner approves it in the gateway's web UI; tell the user so.`;

/** What a viewer is told: only the tools it has (tool-rights.ts). */
const READ_ONLY_INSTRUCTIONS = `This is MCP Gateway's own server. The gateway sits between MCP clients and MCP servers and captures every message. Your token may read: use list_servers to see the servers it proxies, search_records/get_record/get_session to investigate captured traffic (why a call failed, what a server returned, how long it took), get_stats for error rates and latency, diff_records to compare two records or two sessions, and get_tool_changes to see how a server's tools changed. Changing servers or deleting traffic needs a token with the operator role.`;

/**
 * The management MCP server: the gateway's registry, traffic and statistics as tools, for one principal.
 * It offers only the tools the principal's role allows, and every read and change goes through its server
 * scope, as the REST API's do.
 */
export function createManagementServer(deps: ManagementDeps, principal: Identity): McpServer {
  const server = new McpServer(
    { name: 'mcp-gateway', title: 'MCP Gateway', version: VERSION },
    { instructions: roleAllows(principal.role, 'operator') ? INSTRUCTIONS : READ_ONLY_INSTRUCTIONS },
  );
  limitToolsByRole(server, principal);
  auditToolCalls(server, deps.audit);
  const scope = () => principal.servers;
  const scoped: ManagementDeps =
    principal.servers === null
      ? deps
      : {
          ...deps,
          registry: scopedRegistry(deps.registry, scope),
          store: scopedStore(deps.store, scope),
          reads: scopedReads(deps.reads, scope),
        };
  registerServerTools(server, scoped);
  registerRecordTools(server, scoped);
  registerStatsTools(server, scoped);
  if (deps.breakpoints) registerInterceptTools(server, deps.breakpoints, scope);
  registerDiffTools(server, scoped, scope);
  registerFaultTools(server, deps.faults, principal);
  registerReplayTools(server, scoped);
  return server;
}
