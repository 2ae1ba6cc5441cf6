import type { AuditTrail } from '../audit/audit-trail.js';
import type { ToolChangeReads } from '../diff/tool-changes.js';
import type { FaultRules } from '../faults/rules.js';
import type { OverviewDeps, RestartServer } from '../health/server-overview.js';
import type { Breakpoints } from '../intercept/breakpoints.js';
import type { PendingServers } from '../ops/pending-servers.js';
import type { ReplayLoopback } from '../replay/replay.js';
import type { LogReads } from '../store/log-reads.js';

/** What the management MCP server works with: the same registry, store and health as the REST API. */
export interface ManagementDeps extends OverviewDeps {
  restartServer: RestartServer;
  /** Searches, records, sessions and statistics, read off the proxy's thread. */
  reads: LogReads;
  /** Servers' last known tool lists and how they changed (get_tool_changes). */
  toolLists: ToolChangeReads;
  /** Records were deleted through a tool (the live feed tells open views). */
  onDeleted: (count: number) => void;
  /** Launches that wait for the owner's approval in the web UI. */
  pending: PendingServers;
  /** Changes made through tools are recorded here, with the caller (`extra.authInfo`, see actor.ts). */
  audit: AuditTrail;
  /** Breakpoints on messages in flight; absent, the intercept tools are not offered. */
  breakpoints?: Breakpoints;
  /** Fault injection rules (list_faults, add_fault, remove_fault). */
  faults: FaultRules;
  /** How replays reach the gateway's own proxy and see their capture (replay_record). */
  replay: ReplayLoopback;
}
