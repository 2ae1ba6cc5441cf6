import type { RecordJson, RecordSummaryJson } from '../core/record.js';
import type { HealthChange, HealthState } from '../health/types.js';
import type { ServerJson } from './server-json.js';

/** A record as the feed sends it: whole, or without message and headers with `fields=summary`. */
export type LiveRecord = RecordJson | RecordSummaryJson;

/**
 * What `GET /api/events` sends: one typed channel, a discriminated union on `type` (the SSE `event:` name
 * is the same). `records` events carry an SSE `id` (the last record id), so a browser's EventSource that
 * reconnects resumes where it stopped (it sends Last-Event-ID).
 */
export type LiveEvent =
  /** First event on every connection: where the feed starts and the filter it applies. */
  | { type: 'hello'; lastId: number; filter: string }
  /** New records that match the filter, oldest first. */
  | { type: 'records'; records: LiveRecord[]; lastId: number }
  /**
   * With `activity=true`, in place of `records`: how many new records matched, without them. For views
   * that show summaries (sessions, servers, charts) and refetch those when traffic arrives.
   */
  | { type: 'activity'; count: number; lastId: number }
  /** A server's health or process state changed. */
  | {
      type: 'server-health';
      server: string;
      previous: HealthState;
      health: ServerJson['health'];
      source: HealthChange['source'];
    }
  /** Servers were added, removed or edited (mcp.json changed): refetch GET /api/servers. */
  | { type: 'servers-changed'; added: string[]; removed: string[]; updated: string[] }
  /** Launches awaiting the owner's approval changed (one was requested, approved or rejected). */
  | { type: 'approvals-changed'; pending: string[] }
  /** A server's tools/list answer changed (GET /api/servers/:name/tool-changes has the diff). */
  | {
      type: 'tool-changes';
      server: string;
      changeId: number;
      added: number;
      removed: number;
      changed: number;
    }
  /** Fault rules were armed or removed: refetch GET /api/faults (the banner on every screen). */
  | { type: 'faults-changed' }
  /** Records were deleted (clear, delete by filter): views showing old records should refetch. */
  | { type: 'records-deleted'; deleted: number }
  /**
   * A breakpoint held a message, or a held message went on (forwarded, dropped, answered, timed out):
   * refetch GET /api/intercepts/held. Only what names it travels here, never the message itself.
   */
  | { type: 'intercept-held'; heldId: number; server: string; direction: string; method: string | null }
  | { type: 'intercept-released'; heldId: number; server: string; how: string }
  /** The client fell too far behind (or resumed from too old an id); `skipped` records were not sent. */
  | { type: 'lagged'; skipped: number; lastId: number };

export type LiveEventType = LiveEvent['type'];
