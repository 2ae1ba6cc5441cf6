import { inScope, type Scope } from '../auth/scope.js';
import { GatewayError } from '../core/errors.js';
import type { KnownToolList, ToolChange } from '../store/tool-lists.js';

/** What reading a server's history needs of either store (SQLite answers at once, PostgreSQL later). */
export interface ToolChangeReads {
  known(server: string): KnownToolList | null | Promise<KnownToolList | null>;
  changes(server: string, limit: number, before?: number): ToolChange[] | Promise<ToolChange[]>;
}

/** A server's tool-list history as the REST API and the `get_tool_changes` tool give it. */
export interface ToolChangesJson {
  server: string;
  /** The last list seen (how many tools, their names, when, from which answer); null before any. */
  current: { tools: number; names: string[]; seenAt: string; recordId: number | null } | null;
  /** Newest first. */
  changes: ToolChange[];
  hasMore: boolean;
  /** Pass as `before` for the next (older) page. */
  nextCursor: string | null;
}

export const MAX_TOOL_CHANGES_PAGE = 100;

/**
 * Reads a server's tool changes for a principal: a server outside its scope is unknown (404, as for every
 * scoped read), and so is a name that is neither registered nor has a recorded list.
 */
export async function readToolChanges(
  store: ToolChangeReads,
  scope: Scope,
  registered: (name: string) => boolean,
  name: string,
  limit: number,
  before?: number,
): Promise<ToolChangesJson> {
  const known = inScope(scope, name) ? await store.known(name) : null;
  if (!inScope(scope, name) || (!known && !registered(name))) {
    throw new GatewayError(404, `No server named "${name}"; GET /api/servers lists them.`);
  }
  const page = await store.changes(name, limit + 1, before);
  const changes = page.slice(0, limit);
  const hasMore = page.length > limit;
  return {
    server: name,
    current: known
      ? {
          tools: known.tools.length,
          names: known.tools.map((tool) => tool.name),
          seenAt: new Date(known.seenAt).toISOString(),
          recordId: known.recordId,
        }
      : null,
    changes,
    hasMore,
    nextCursor: hasMore ? String(changes[changes.length - 1]?.id) : null,
  };
}
