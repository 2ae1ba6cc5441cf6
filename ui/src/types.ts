/**
 * The shapes the UI reads from the API, taken from the gateway's own definitions (type-only imports, so
 * nothing of the server reaches the bundle): one model for rows, the API, the live feed and this UI.
 */
import type { LiveEvent } from '../../src/api/live-events.js';
import type { ServerJson } from '../../src/api/server-json.js';
import type { JsonDiff, JsonDiffEntry } from '../../src/core/json-diff.js';
import type { RecordJson, RecordSummaryJson } from '../../src/core/record.js';
import type { DiffResult } from '../../src/diff/diff-request.js';
import type { CallPairJson } from '../../src/diff/session-diff.js';
import type { ToolChangesJson } from '../../src/diff/tool-changes.js';
import type { FieldDescription, FilterLanguageDescription } from '../../src/filter/describe.js';
import type { FilterErrorJson } from '../../src/filter/errors.js';
import type { PendingServer } from '../../src/ops/pending-servers.js';
import type { BucketStats, GroupStats, StatsResult } from '../../src/store/stats.js';
import type { SessionJson } from '../../src/store/summary-json.js';

export type {
  BucketStats,
  CallPairJson,
  DiffResult,
  FieldDescription,
  FilterErrorJson,
  FilterLanguageDescription,
  GroupStats,
  JsonDiff,
  JsonDiffEntry,
  LiveEvent,
  PendingServer,
  ServerJson,
  SessionJson,
  StatsResult,
  ToolChangesJson,
};

export type CapturedRecord = RecordJson;
/** A record as lists of rows load it (`fields=summary`): without message and headers. */
export type RecordSummary = RecordSummaryJson;
export type HeaderMap = NonNullable<RecordJson['headers']['request']>;

/** `GET /api/logs/:id`: the record with its request or response. */
export type RecordWithPartner = RecordJson & { partner: RecordJson | null };

export interface Pagination {
  count: number;
  limit: number;
  hasMore: boolean;
  nextCursor: string | null;
}

export interface Page<T> {
  data: T[];
  pagination: Pagination;
  /** `GET /api/logs`: the newest record id in the store when the page was read. */
  latestId?: number;
}

/** `GET /api/sessions/:id`: the session and a page of its timeline. */
export interface SessionTimelinePage extends Page<RecordSummaryJson> {
  session: SessionJson;
}

/** `GET /api/servers/config`: where mcp.json is, and whether it could be read. */
export interface ServersConfig {
  path: string;
  error: string | null;
}

export interface StderrTail {
  name: string;
  total: number;
  lines: { time: string; line: string; truncated: boolean; pid: number | null }[];
}

export interface Status {
  version: string;
  uptimeSeconds: number;
  servers: number;
  registryError: string | null;
  /** null for a caller limited to some servers: the process's counters span all of them. */
  capture: { captured: number; dropped: number; storeFailures: number } | null;
  /** The command client configs should run: `mcp-gateway` if it is on the gateway's PATH, else its absolute path. */
  command?: string;
  /** --proxy-auth: proxy URLs need the X-MCP-Gateway-Token header. */
  proxyAuth?: boolean;
  /**
   * What became of the messages this process captured since it started (null for a caller limited to some
   * servers), and what logs.db holds now of the servers the caller may see.
   */
  records: {
    captured: number | null;
    stored: number | null;
    failed: number | null;
    dropped: number | null;
    inStore: number | null;
  };
}
