import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { GatewayError } from '../../core/errors.js';
import { recordToJson, recordToSummaryJson } from '../../core/record.js';
import { andFilters } from '../../filter/ast.js';
import { fieldNames } from '../../filter/fields.js';
import { filterFromParams } from '../../filter/params.js';
import { parseFilter } from '../../filter/parser.js';
import { sessionToJson } from '../../store/summary-json.js';
import type { ManagementDeps } from '../deps.js';
import { brief, recordLine, sessionLine } from '../render.js';
import { guarded, ok } from '../results.js';
import { pageSchema, recordBriefSchema, recordSchema, sessionSchema } from '../schemas.js';

const FILTER_HELP = `Filter language: terms separated by spaces must all match. field:value (is; * wildcard), field~text (contains), =, !=, >, >=, <, <=; a leading - negates; commas give alternatives (method:tools/call,tools/list). Fields: ${fieldNames().join(', ')}. Examples: "server:github method:tools/call has:error", "duration>1s last:1h", "kind:error -method:ping". Other words are searched as text in payloads and error messages ("timeout", "\\"Unknown tool\\"").`;

/** search_records, get_record, get_session, clear_records. */
export function registerRecordTools(server: McpServer, deps: ManagementDeps): void {
  const { store, reads } = deps;

  server.registerTool(
    'search_records',
    {
      title: 'Search captured traffic',
      description: `Finds captured MCP messages, newest first: one line per message with its id, time, server, direction, kind, method and summary. Open one with get_record, a whole conversation with get_session. ${FILTER_HELP}`,
      inputSchema: {
        filter: z.string().optional().describe('a filter, such as "server:github has:error last:1h"'),
        serverName: z.string().optional().describe('only this server'),
        sessionId: z.string().optional().describe('only this session'),
        method: z.string().optional().describe('only this JSON-RPC method, such as tools/call'),
        limit: z.number().int().min(1).max(200).optional().describe('at most this many (default 20)'),
        order: z.enum(['asc', 'desc']).optional().describe('desc (newest first, default) or asc'),
        cursor: z.string().optional().describe('nextCursor of the previous page'),
      },
      outputSchema: { records: z.array(recordBriefSchema), ...pageSchema },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ filter, serverName, sessionId, method, limit, order, cursor }) =>
      guarded(async () => {
        const parsed = andFilters(
          parseFilter(filter ?? ''),
          filterFromParams({ serverName, sessionId, method }),
        );
        const after = cursor === undefined ? undefined : Number(cursor);
        if (after !== undefined && !Number.isInteger(after)) {
          throw new GatewayError(400, `cursor must be the nextCursor of a previous page; got "${cursor}".`);
        }
        const page = await reads.list({
          filter: parsed,
          limit: limit ?? 20,
          order: order ?? 'desc',
          cursor: after,
          // The brief form has no message or headers: get_record reads one whole.
          bodies: false,
        });
        const records = page.records.map((r) => brief(recordToSummaryJson(r)));
        const lines = records.map(recordLine);
        if (records.length === 0) lines.push('No records match.');
        if (page.hasMore) lines.push(`More: call again with cursor "${page.nextCursor}".`);
        return ok({ records, hasMore: page.hasMore, nextCursor: page.nextCursor }, lines.join('\n'));
      }),
  );

  server.registerTool(
    'get_record',
    {
      title: 'Get a record',
      description:
        'One captured message in full (the JSON-RPC message, headers with secrets redacted, timing), with its partner: the response to a request, or the request a response answers.',
      inputSchema: { id: z.number().int().positive().describe('a record id from search_records') },
      outputSchema: { record: recordSchema, partner: recordSchema.nullable() },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ id }) =>
      guarded(async () => {
        const record = await reads.get(id);
        if (!record)
          throw new GatewayError(
            404,
            `No record ${id}; it may have been deleted or pruned. Find ids with search_records.`,
          );
        const partner = await reads.partnerOf(record);
        const json = recordToJson(record);
        const partnerJson = partner ? recordToJson(partner) : null;
        const text = [recordLine(brief(json)), JSON.stringify(json.message, null, 2)];
        if (partnerJson)
          text.push(
            `partner: ${recordLine(brief(partnerJson))}`,
            JSON.stringify(partnerJson.message, null, 2),
          );
        return ok({ record: json, partner: partnerJson }, text.join('\n'));
      }),
  );

  server.registerTool(
    'get_session',
    {
      title: 'Get a session',
      description:
        "One MCP session: its client and server, and its timeline (every message, plus the server's stderr lines and gateway notes meanwhile) oldest first.",
      inputSchema: {
        sessionId: z.string(),
        server: z.string().optional().describe('needed only if two servers share the session id'),
        limit: z.number().int().min(1).max(500).optional().describe('timeline entries (default 100)'),
        cursor: z.string().optional().describe('nextCursor of the previous page'),
      },
      outputSchema: { session: sessionSchema, timeline: z.array(recordBriefSchema), ...pageSchema },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ sessionId, server: serverName, limit, cursor }) =>
      guarded(async () => {
        const [session, ...others] = await reads.session(sessionId, serverName);
        if (!session)
          throw new GatewayError(404, `No session "${sessionId}". Find sessions with search_records.`);
        if (others.length > 0) {
          throw new GatewayError(
            400,
            `Session "${sessionId}" exists on several servers; pass server (one of ${[session, ...others].map((s) => s.server).join(', ')}).`,
          );
        }
        const page = await reads.timeline({
          sessionId,
          server: session.server,
          limit: limit ?? 100,
          cursor: cursor === undefined ? undefined : Number(cursor),
        });
        const timeline = page.records.map((r) => brief(recordToJson(r)));
        const json = sessionToJson(session);
        const lines = [sessionLine(json), ...timeline.map(recordLine)];
        if (page.hasMore) lines.push(`More: call again with cursor "${page.nextCursor}".`);
        return ok(
          { session: json, timeline, hasMore: page.hasMore, nextCursor: page.nextCursor },
          lines.join('\n'),
        );
      }),
  );

  server.registerTool(
    'clear_records',
    {
      title: 'Delete captured traffic',
      description: `Deletes captured messages that match a filter, or all of them with all: true. ${FILTER_HELP}`,
      inputSchema: {
        filter: z.string().optional().describe('what to delete, such as "server:test"'),
        all: z.boolean().optional().describe('true to delete every record'),
      },
      outputSchema: { deleted: z.number() },
      // Deleting the same filter again deletes nothing more.
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    async ({ filter, all }) =>
      guarded(async () => {
        const parsed = parseFilter(filter ?? '');
        if (parsed.terms.length === 0 && all !== true) {
          throw new GatewayError(
            400,
            'Say what to delete with filter (such as "server:test"), or pass all: true to delete every record.',
          );
        }
        const deleted = await store.deleteMatching(parsed);
        deps.onDeleted(deleted);
        return ok({ deleted }, `Deleted ${deleted} record(s).`);
      }),
  );
}
