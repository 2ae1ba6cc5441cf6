import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { Scope } from '../../auth/scope.js';
import type { JsonDiff } from '../../core/json-diff.js';
import { type DiffResult, runDiff } from '../../diff/diff-request.js';
import { MAX_TOOL_CHANGES_PAGE, readToolChanges, type ToolChangesJson } from '../../diff/tool-changes.js';
import type { ManagementDeps } from '../deps.js';
import { guarded, ok } from '../results.js';

const MAX_LINES_PER_DIFF = 20;

function diffLines(diff: JsonDiff | null, indent: string): string[] {
  if (diff === null) return [];
  if (diff.entries.length === 0) return [`${indent}no differences`];
  const short = (value: unknown) => {
    const text = JSON.stringify(value) ?? 'undefined';
    return text.length > 120 ? `${text.slice(0, 120)}…` : text;
  };
  const lines = diff.entries.slice(0, MAX_LINES_PER_DIFF).map((entry) => {
    const path = entry.path === '' ? '(whole message)' : entry.path;
    if (entry.kind === 'added') return `${indent}+ ${path}: ${short(entry.after)}`;
    if (entry.kind === 'removed') return `${indent}- ${path}: ${short(entry.before)}`;
    return `${indent}~ ${path}: ${short(entry.before)} → ${short(entry.after)}`;
  });
  const more = diff.entries.length - lines.length;
  if (more > 0 || diff.truncated) lines.push(`${indent}… more differences in structuredContent`);
  return lines;
}

function diffText(result: DiffResult): string {
  if (result.type === 'records') {
    const lines = [
      `#${result.a.id} ${result.a.summary}  vs  #${result.b.id} ${result.b.summary}`,
      'message:',
    ];
    lines.push(...diffLines(result.message, '  '));
    if (result.partners) {
      lines.push(`partners #${result.partners.a.id} vs #${result.partners.b.id}:`);
      lines.push(...diffLines(result.partners.message, '  '));
    }
    return lines.join('\n');
  }
  const { totals } = result;
  const lines = [
    `session ${result.a.sessionId} (${result.a.server}) vs ${result.b.sessionId} (${result.b.server}): ${totals.calls} calls, ${totals.same} same, ${totals.differs} differ, ${totals.onlyA} only in a, ${totals.onlyB} only in b`,
  ];
  result.calls.forEach((call, index) => {
    const ids = `${call.a ? `#${call.a.request.id}` : '-'} / ${call.b ? `#${call.b.request.id}` : '-'}`;
    lines.push(`${index + 1}. ${call.method} ${ids}: ${call.status}`);
    if (call.status === 'differs') {
      if (call.request?.entries.length) lines.push('   request:', ...diffLines(call.request, '     '));
      if (call.response?.entries.length) lines.push('   answer:', ...diffLines(call.response, '     '));
    }
  });
  return lines.join('\n');
}

function toolChangesText(history: ToolChangesJson): string {
  const lines = [
    history.current
      ? `${history.server}: ${history.current.tools} tools as last listed ${history.current.seenAt}`
      : `${history.server}: no tools/list answer seen yet`,
  ];
  if (history.changes.length === 0) lines.push('No changes recorded.');
  for (const change of history.changes) {
    lines.push(
      `change ${change.id} at ${change.time} (record #${change.recordId ?? '?'}): +${change.added} added, -${change.removed} removed, ~${change.changed} changed`,
    );
    for (const tool of change.tools) {
      lines.push(`  ${tool.kind} ${tool.name}`);
      if (tool.diff) lines.push(...diffLines(tool.diff, '    '));
    }
  }
  if (history.hasMore) lines.push(`Older changes: call again with before "${history.nextCursor}".`);
  return lines.join('\n');
}

/** diff_records, get_tool_changes. `scope` is the principal's servers (null: all). */
export function registerDiffTools(server: McpServer, deps: ManagementDeps, scope: () => Scope): void {
  server.registerTool(
    'diff_records',
    {
      title: 'Compare two records or two sessions',
      description:
        'Structural JSON diff of two captured messages (added, removed and changed paths as JSON Pointers), and of their partners (two requests: their answers too). With a="session:<id>" and b="session:<id>", compares two sessions call by call: client requests paired by method then position, saying which differ (params and/or answer) and which are only in one. JSON-RPC ids are ignored unless ignoreId is false.',
      inputSchema: {
        a: z.string().describe('a record id ("42") or "session:<session id>"'),
        b: z.string().describe('a record id or "session:<session id>", of the same kind as a'),
        ignore: z
          .array(z.string())
          .max(50)
          .optional()
          .describe('more JSON Pointers to leave out, such as /params/_meta'),
        ignoreId: z.boolean().optional().describe('false to compare JSON-RPC ids too (default true)'),
        aServer: z.string().optional().describe("a's server, when its session id exists on several"),
        bServer: z.string().optional().describe("b's server, likewise"),
        filter: z
          .string()
          .optional()
          .describe('sessions only: compare only the calls this filter matches, such as "method:tools/call"'),
      },
      outputSchema: {
        type: z.enum(['records', 'sessions']),
        ignore: z.array(z.string()),
        a: z.record(z.string(), z.unknown()),
        b: z.record(z.string(), z.unknown()),
        message: z.unknown().optional(),
        partners: z.unknown().optional(),
        calls: z.array(z.unknown()).optional(),
        totals: z.unknown().optional(),
        filter: z.string().optional(),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (args) =>
      guarded(async () => {
        const result = await runDiff(deps.reads, {
          a: args.a,
          b: args.b,
          ...(args.ignore ? { ignore: args.ignore } : {}),
          ...(args.ignoreId === undefined ? {} : { ignoreId: args.ignoreId }),
          ...(args.aServer ? { aServer: args.aServer } : {}),
          ...(args.bServer ? { bServer: args.bServer } : {}),
          ...(args.filter ? { filter: args.filter } : {}),
        });
        return ok({ ...result }, diffText(result));
      }),
  );

  server.registerTool(
    'get_tool_changes',
    {
      title: "How a server's tools changed",
      description:
        "The changes seen in a server's tools/list answer over time, newest first: tools added, removed, or changed (description, inputSchema, outputSchema, annotations), each changed tool with the JSON Pointers that changed. This is how to notice a server changing its tools under its clients.",
      inputSchema: {
        serverName: z.string().describe('a server name from list_servers'),
        limit: z
          .number()
          .int()
          .min(1)
          .max(MAX_TOOL_CHANGES_PAGE)
          .optional()
          .describe('at most this many (default 20)'),
        before: z.string().optional().describe('nextCursor of the previous page'),
      },
      outputSchema: {
        server: z.string(),
        current: z.unknown(),
        changes: z.array(z.unknown()),
        hasMore: z.boolean(),
        nextCursor: z.string().nullable(),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ serverName, limit, before }) =>
      guarded(async () => {
        const older = before === undefined ? undefined : Number(before);
        const history = await readToolChanges(
          deps.toolLists,
          scope(),
          (name) => deps.registry.get(name) !== undefined,
          serverName,
          limit ?? 20,
          older !== undefined && Number.isSafeInteger(older) ? older : undefined,
        );
        return ok({ ...history }, toolChangesText(history));
      }),
  );
}
