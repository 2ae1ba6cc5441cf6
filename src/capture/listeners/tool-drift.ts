import { diffToolLists, type ToolDefinition, toolListHash, toolsOf } from '../../diff/tool-list.js';
import type { ToolListStore } from '../../store/tool-lists.js';
import type { MessageDraft } from '../draft.js';
import type { CaptureListener } from '../pipeline.js';

/** What the gateway is told of a change once it is committed (the live feed's `tool-changes` event). */
export interface ToolListChanged {
  server: string;
  changeId: number;
  added: number;
  removed: number;
  changed: number;
}

/**
 * Bounds on what is held while a paginated list is read (MCP 2025-11-25, "Pagination": a client follows
 * `nextCursor` with `tools/list {cursor}` until an answer has none). A hostile server that pages forever,
 * or clients that never fetch the next page, cost at most this much.
 */
const MAX_PENDING_REQUESTS = 1000;
const MAX_ASSEMBLIES = 16;
const MAX_PAGES = 100;
const MAX_ASSEMBLY_BYTES = 4 * 1024 * 1024;

interface Assembly {
  /** The cursor the next page's request must carry. */
  next: string;
  tools: unknown[];
  pages: number;
  bytes: number;
}

/** Inserts into a Map used as a FIFO, dropping the oldest entry past `cap`. */
function capped<K, V>(map: Map<K, V>, key: K, value: V, cap: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > cap) map.delete(map.keys().next().value as K);
}

/**
 * Tool-list drift: when a server's `tools/list` answer differs from the last one seen for that server (a
 * tool added or removed, or its description, schemas or annotations changed), the change is stored with a
 * per-tool diff (store/tool-lists.ts). Pages of a paginated list are put together per session before the
 * whole list is compared; a list whose pages a client did not all fetch is not compared. The last known
 * list lives in the table, so a restart of the gateway compares against it.
 */
export function toolDriftListener(
  store: ToolListStore,
  onChange: (change: ToolListChanged) => void = () => {},
): CaptureListener {
  /** The cursor each tools/list request asked for, by server, session and JSON-RPC id. */
  const requests = new Map<string, string | null>();
  const assemblies = new Map<string, Assembly>();
  let announced: ToolListChanged[] = [];

  const compare = (draft: MessageDraft, listed: unknown[]) => {
    const tools = toolsOf({ tools: listed }) as ToolDefinition[];
    const { server, sessionId, time } = draft.record;
    const hash = toolListHash(tools);
    const known = store.known(server);
    const current = { server, hash, tools, recordId: draft.id, seenAt: time };
    if (!known) {
      store.remember(current);
      return;
    }
    if (known.hash === hash) return;
    const diff = diffToolLists(known.tools, tools);
    const changeId = store.addChange({
      server,
      timestamp: time,
      sessionId,
      recordId: draft.id,
      previousRecordId: known.recordId,
      added: diff.added,
      removed: diff.removed,
      changed: diff.changed,
      tools: diff.drifts,
      truncated: diff.truncated,
    });
    store.remember(current);
    announced.push({ server, changeId, added: diff.added, removed: diff.removed, changed: diff.changed });
  };

  return {
    name: 'tool-drift',
    message(draft) {
      const { record } = draft;
      if (record.method !== 'tools/list') return;
      const key = `${record.server}\u0000${record.sessionId ?? ''}\u0000${JSON.stringify(record.jsonrpcId ?? null)}`;
      if (record.kind === 'request' && record.direction === 'client_to_server') {
        const cursor = (draft.value as { params?: { cursor?: unknown } } | null)?.params?.cursor;
        capped(requests, key, typeof cursor === 'string' ? cursor : null, MAX_PENDING_REQUESTS);
        return;
      }
      if (record.kind !== 'response' || record.direction !== 'server_to_client') return;
      const result = (draft.value as { result?: { tools?: unknown; nextCursor?: unknown } } | null)?.result;
      if (!Array.isArray(result?.tools)) return;
      const cursor = requests.get(key);
      requests.delete(key);
      const session = `${record.server}\u0000${record.sessionId ?? ''}`;
      const earlier = assemblies.get(session);
      assemblies.delete(session);
      // Its request was not seen (dropped under load, or too many waiting): which page this is cannot be
      // told, and a later page taken for the whole list would look like tools removed.
      if (cursor === undefined) return;
      let assembly: Assembly;
      if (cursor === null) assembly = { next: '', tools: [], pages: 0, bytes: 0 };
      else if (earlier && earlier.next === cursor) assembly = earlier;
      else return; // a later page of a list whose start was not seen: nothing whole to compare
      assembly.tools.push(...result.tools);
      assembly.pages++;
      assembly.bytes += record.size;
      const next = result.nextCursor;
      if (typeof next === 'string') {
        if (assembly.pages < MAX_PAGES && assembly.bytes < MAX_ASSEMBLY_BYTES) {
          capped(assemblies, session, { ...assembly, next }, MAX_ASSEMBLIES);
        }
        return;
      }
      compare(draft, assembly.tools);
    },
    batchEnd() {
      // Told only once the batch is committed, so a reader asked at once finds the change.
      const changes = announced;
      announced = [];
      for (const change of changes) onChange(change);
    },
  };
}
