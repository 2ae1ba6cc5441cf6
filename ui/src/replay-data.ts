import { useQuery } from '@tanstack/react-query';
import { api, withQuery } from './api';
import type { CapturedRecord, JsonDiff, Page } from './types';

/** `POST /api/logs/:id/replay` (src/replay/replay-json.ts). */
export interface ReplayAnswer {
  original: { request: CapturedRecord; response: CapturedRecord | null };
  replay: { request: CapturedRecord | null; response: CapturedRecord | null };
  diff: JsonDiff;
  durations: { originalMs: number | null; replayMs: number | null };
  session: {
    mode: 'new' | 'original';
    id: string | null;
    protocolVersion: string | null;
    initializeFrom: number | null;
  };
}

/** A tool as a server listed it in a captured tools/list answer. */
export interface ListedTool {
  name: string;
  inputSchema?: unknown;
}

/**
 * The tools a server listed most recently before `record` (its latest captured tools/list answer), so an
 * edit is checked against the schema the server had then, not one it might list now.
 */
export function useListedTools(record: CapturedRecord | null, enabled: boolean) {
  return useQuery({
    queryKey: ['listed-tools', record?.server, record?.id],
    queryFn: async ({ signal }) => {
      const page = await api<Page<CapturedRecord>>(
        withQuery('/api/logs', {
          filter: `server:${record?.server} method:tools/list kind:response id<${record?.id}`,
          limit: 1,
        }),
        { signal },
      );
      const answer = page.data[0];
      if (!answer) return null;
      const tools = (answer.message as { result?: { tools?: unknown } } | null)?.result?.tools;
      return { recordId: answer.id, tools: Array.isArray(tools) ? (tools as ListedTool[]) : [] };
    },
    enabled: enabled && record !== null,
    staleTime: Number.POSITIVE_INFINITY,
  });
}
