import { createHash } from 'node:crypto';
import { diffJson, type JsonDiff } from '../core/json-diff.js';

/**
 * A server's tool list as drift detection compares it: each tool by name, with the fields that change what
 * a client may call or how a model reads it (MCP 2025-11-25, "Tools": title, description, inputSchema,
 * outputSchema, annotations, execution). `_meta` and `icons` are left out: they change without changing
 * the tool. Order does not count: the list is sorted by name.
 */
export interface ToolDefinition {
  name: string;
  title?: unknown;
  description?: unknown;
  inputSchema?: unknown;
  outputSchema?: unknown;
  annotations?: unknown;
  execution?: unknown;
}

/** How one tool changed between two lists. */
export interface ToolDrift {
  name: string;
  kind: 'added' | 'removed' | 'changed';
  /** The tool in the earlier list (removed, changed), when the change was small enough to keep it. */
  before?: ToolDefinition;
  /** The tool in the later list (added, changed), likewise. */
  after?: ToolDefinition;
  /** For `changed`: which fields changed, as JSON Pointers into the tool (`/inputSchema/properties/x`). */
  diff?: JsonDiff;
}

const COMPARED = ['title', 'description', 'inputSchema', 'outputSchema', 'annotations', 'execution'] as const;

/** Tools kept of one list: a server answering more is compared on its first ones by name. */
export const MAX_TOOLS = 1000;
/** Tools described in one change, and paths per changed tool: a change stays a readable, bounded size. */
export const MAX_DRIFTS = 200;
const MAX_PATHS_PER_TOOL = 50;
/** A change's stored description, at most; past it, definitions are left out and the per-path diffs kept. */
export const MAX_CHANGE_BYTES = 256 * 1024;

/** The tools of a `tools/list` result, normalized; null when it is not a tool list. */
export function toolsOf(result: unknown): ToolDefinition[] | null {
  const tools = (result as { tools?: unknown } | null | undefined)?.tools;
  if (!Array.isArray(tools)) return null;
  const byName = new Map<string, ToolDefinition>();
  for (const tool of tools) {
    const name = (tool as { name?: unknown } | null)?.name;
    // A second tool of the same name is a server bug; the first one is what clients see first.
    if (typeof name !== 'string' || byName.has(name)) continue;
    const definition: ToolDefinition = { name };
    for (const field of COMPARED) {
      const value = (tool as Record<string, unknown>)[field];
      if (value !== undefined) definition[field] = value;
    }
    byName.set(name, definition);
  }
  return [...byName.values()]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, MAX_TOOLS);
}

/** JSON with object keys sorted: two answers that differ only in key order hash the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Each tool's canonical JSON, made once: a list is hashed from its tools' texts, and the same texts tell
 * which tools changed when it is compared with the next list (which holds this one's objects as `known`).
 * Held as long as the tool object is, so as long as the list it belongs to.
 */
const canonicalTools = new WeakMap<ToolDefinition, string>();

function canonicalTool(tool: ToolDefinition): string {
  let text = canonicalTools.get(tool);
  if (text === undefined) {
    text = canonical(tool);
    canonicalTools.set(tool, text);
  }
  return text;
}

/** The hash of `canonical(tools)`, the list's JSON with keys sorted (built from each tool's text). */
export function toolListHash(tools: readonly ToolDefinition[]): string {
  return createHash('sha256')
    .update(`[${tools.map(canonicalTool).join(',')}]`)
    .digest('hex');
}

export interface ToolListDiff {
  drifts: ToolDrift[];
  added: number;
  removed: number;
  changed: number;
  /** More tools changed than MAX_DRIFTS, or definitions were left out to stay under MAX_CHANGE_BYTES. */
  truncated: boolean;
}

/** What changed from one tool list to the next, tool by tool, in name order. */
export function diffToolLists(
  before: readonly ToolDefinition[],
  after: readonly ToolDefinition[],
): ToolListDiff {
  const old = new Map(before.map((tool) => [tool.name, tool]));
  const now = new Map(after.map((tool) => [tool.name, tool]));
  const names = [...new Set([...old.keys(), ...now.keys()])].sort();
  const drifts: ToolDrift[] = [];
  let added = 0;
  let removed = 0;
  let changed = 0;
  for (const name of names) {
    const a = old.get(name);
    const b = now.get(name);
    let drift: ToolDrift | null = null;
    if (!a && b) {
      added++;
      drift = { name, kind: 'added', after: b };
    } else if (a && !b) {
      removed++;
      drift = { name, kind: 'removed', before: a };
    } else if (a && b && canonicalTool(a) !== canonicalTool(b)) {
      changed++;
      drift = {
        name,
        kind: 'changed',
        before: a,
        after: b,
        diff: diffJson(a, b, { maxEntries: MAX_PATHS_PER_TOOL }),
      };
    }
    if (drift && drifts.length < MAX_DRIFTS) drifts.push(drift);
  }
  let truncated = added + removed + changed > drifts.length;
  if (jsonBytes(drifts) > MAX_CHANGE_BYTES) {
    truncated = true;
    for (const drift of drifts) {
      delete drift.before;
      delete drift.after;
      for (const entry of drift.diff?.entries ?? []) {
        if ('before' in entry) entry.before = shortValue(entry.before);
        if ('after' in entry) entry.after = shortValue(entry.after);
      }
    }
    while (drifts.length > 1 && Buffer.byteLength(JSON.stringify(drifts)) > MAX_CHANGE_BYTES) drifts.pop();
  }
  return { drifts, added, removed, changed, truncated };
}

const MAX_VALUE_CHARS = 2000;
const BEFORE_KEY = Buffer.byteLength(',"before":');
const AFTER_KEY = Buffer.byteLength(',"after":');

/**
 * `Buffer.byteLength(JSON.stringify(drifts))`, without serializing the tool definitions again: their
 * canonical texts (made for the hash) hold the same keys and values in another order, so the same bytes,
 * for definitions read from JSON (which has no undefined, functions or dates to set them apart).
 */
function jsonBytes(drifts: readonly ToolDrift[]): number {
  let bytes = 2 + Math.max(drifts.length - 1, 0);
  for (const { before, after, ...rest } of drifts) {
    bytes += Buffer.byteLength(JSON.stringify(rest));
    if (before) bytes += BEFORE_KEY + Buffer.byteLength(canonicalTool(before));
    if (after) bytes += AFTER_KEY + Buffer.byteLength(canonicalTool(after));
  }
  return bytes;
}

/** A value of a diff entry, as JSON text cut short when it is long (a whole schema replaced). */
function shortValue(value: unknown): unknown {
  const text = JSON.stringify(value) ?? 'null';
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}…` : value;
}
