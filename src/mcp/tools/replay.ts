import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { JsonDiff } from '../../core/json-diff.js';
import { replayRecord } from '../../replay/replay.js';
import { replayOptions, replayToJson } from '../../replay/replay-json.js';
import type { ManagementDeps } from '../deps.js';
import { guarded, ok } from '../results.js';
import { recordSchema } from '../schemas.js';

/** The answer of POST /api/logs/<id>/replay, as structuredContent. */
const replayOutput = {
  original: z.object({ request: recordSchema, response: recordSchema.nullable() }),
  replay: z.object({ request: recordSchema.nullable(), response: recordSchema.nullable() }),
  diff: z.looseObject({
    entries: z.array(z.looseObject({ path: z.string(), kind: z.enum(['added', 'removed', 'changed']) })),
    truncated: z.boolean(),
  }),
  durations: z.object({ originalMs: z.number().nullable(), replayMs: z.number().nullable() }),
  session: z.looseObject({
    mode: z.enum(['new', 'original']),
    id: z.string().nullable(),
    protocolVersion: z.string().nullable(),
  }),
};

/** The diff in a few lines a model can read: each changed path with its before and after. */
function diffLines(diff: JsonDiff): string[] {
  if (diff.entries.length === 0) return ['The answers are the same.'];
  const shown = diff.entries.slice(0, 20).map((entry) => {
    const value = (v: unknown) => JSON.stringify(v)?.slice(0, 120) ?? 'undefined';
    const path = entry.path || '(whole answer)';
    if (entry.kind === 'added') return `+ ${path}: ${value(entry.after)}`;
    if (entry.kind === 'removed') return `- ${path}: ${value(entry.before)}`;
    return `~ ${path}: ${value(entry.before)} → ${value(entry.after)}`;
  });
  const more = diff.entries.length - shown.length;
  if (more > 0 || diff.truncated) shown.push(`… and ${diff.truncated ? 'more' : more} other difference(s).`);
  return [`${diff.entries.length}${diff.truncated ? '+' : ''} difference(s) between the answers:`, ...shown];
}

/** replay_record: a captured request sent again through the gateway, as POST /api/logs/<id>/replay. */
export function registerReplayTools(server: McpServer, deps: ManagementDeps): void {
  server.registerTool(
    'replay_record',
    {
      title: 'Replay a request',
      description:
        'Sends a captured client request (any method: tools/call, resources/read, prompts/get, …) again to its server through the gateway, optionally edited, and compares the new answer with the original one. The gateway opens a session of its own initialized as the original client\'s was (or uses the original session with session: "original" while it is open); the new records link to the original by replayOf. Find request ids with search_records.',
      inputSchema: {
        id: z.number().int().positive().describe('the id of a captured client→server request'),
        message: z
          .record(z.string(), z.unknown())
          .optional()
          .describe('the edited JSON-RPC request to send instead (same id; e.g. changed params.arguments)'),
        session: z
          .enum(['new', 'original'])
          .optional()
          .describe(
            '"new" (default): a session of the replay\'s own; "original": the original client\'s, if still open',
          ),
      },
      outputSchema: replayOutput,
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: true,
      },
    },
    async ({ id, message, session }) =>
      guarded(async () => {
        const options = replayOptions({
          ...(message === undefined ? {} : { message }),
          ...(session === undefined ? {} : { session }),
        });
        const outcome = await replayRecord(
          { ...deps.replay, store: deps.store, proxyUrl: deps.proxyUrl },
          id,
          options,
        );
        const json = replayToJson(outcome);
        const ms = (value: number | null) => (value === null ? 'untimed' : `${Math.round(value)} ms`);
        const lines = [
          `Replayed record ${id} on server "${outcome.original.request.server}" as record ${outcome.replay.request?.id ?? '(not captured)'}; answer record ${outcome.replay.response?.id ?? '(not captured)'}.`,
          `Durations: original ${ms(outcome.durations.originalMs)}, replay ${ms(outcome.durations.replayMs)}.`,
          ...diffLines(outcome.diff),
        ];
        return ok(json as unknown as Record<string, unknown>, lines.join('\n'));
      }),
  );
}
