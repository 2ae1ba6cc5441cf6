/**
 * A structural diff of two JSON values: which paths were added, removed or changed. Used wherever two
 * messages are compared (a replay against its original, two records, two sessions' calls, a server's tool
 * list against its previous one). Paths are JSON Pointers (RFC 6901), so `/result/content/0/text` names
 * one place in both values whatever their key order.
 */

export type JsonDiffKind = 'added' | 'removed' | 'changed';

export interface JsonDiffEntry {
  /** A JSON Pointer; "" is the whole value. */
  path: string;
  kind: JsonDiffKind;
  /** The value in the first document (absent for `added`). */
  before?: unknown;
  /** The value in the second document (absent for `removed`). */
  after?: unknown;
}

export interface JsonDiff {
  entries: JsonDiffEntry[];
  /** True when more differences existed than `maxEntries`: the list holds the first ones found. */
  truncated: boolean;
}

export interface JsonDiffOptions {
  /** At most this many entries (a diff of two large answers must stay a readable, bounded size). */
  maxEntries?: number;
  /** Paths (JSON Pointers) whose differences do not count: ids, timestamps and other volatile fields. */
  ignore?: readonly string[];
}

const DEFAULT_MAX_ENTRIES = 500;

export function diffJson(before: unknown, after: unknown, options: JsonDiffOptions = {}): JsonDiff {
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const ignore = new Set(options.ignore ?? []);
  const entries: JsonDiffEntry[] = [];
  let truncated = false;

  const push = (entry: JsonDiffEntry): boolean => {
    if (entries.length >= maxEntries) {
      truncated = true;
      return false;
    }
    entries.push(entry);
    return true;
  };

  // Iterative walk: deeply nested documents must not overflow the stack.
  const stack: Array<{ path: string; a: unknown; b: unknown }> = [{ path: '', a: before, b: after }];
  while (stack.length > 0 && !truncated) {
    const { path, a, b } = stack.pop() as { path: string; a: unknown; b: unknown };
    if (ignore.has(path)) continue;
    if (Object.is(a, b)) continue;
    const aKind = kindOf(a);
    const bKind = kindOf(b);
    if (aKind !== bKind || aKind === 'scalar') {
      if (aKind === 'scalar' && bKind === 'scalar' && a === b) continue;
      push({ path, kind: 'changed', before: a, after: b });
      continue;
    }
    const children: Array<{ path: string; a: unknown; b: unknown }> = [];
    if (aKind === 'array') {
      const left = a as unknown[];
      const right = b as unknown[];
      const length = Math.max(left.length, right.length);
      for (let i = 0; i < length; i++) {
        const childPath = `${path}/${i}`;
        if (i >= right.length) {
          if (!ignore.has(childPath) && !push({ path: childPath, kind: 'removed', before: left[i] })) break;
        } else if (i >= left.length) {
          if (!ignore.has(childPath) && !push({ path: childPath, kind: 'added', after: right[i] })) break;
        } else children.push({ path: childPath, a: left[i], b: right[i] });
      }
    } else {
      const left = a as Record<string, unknown>;
      const right = b as Record<string, unknown>;
      const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])];
      for (const key of keys) {
        const childPath = `${path}/${escapePointer(key)}`;
        const inLeft = Object.hasOwn(left, key);
        const inRight = Object.hasOwn(right, key);
        if (!inRight) {
          if (!ignore.has(childPath) && !push({ path: childPath, kind: 'removed', before: left[key] })) break;
        } else if (!inLeft) {
          if (!ignore.has(childPath) && !push({ path: childPath, kind: 'added', after: right[key] })) break;
        } else children.push({ path: childPath, a: left[key], b: right[key] });
      }
    }
    // Reversed onto the stack so siblings are visited in key order.
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as (typeof children)[number]);
  }
  return { entries, truncated };
}

function kindOf(value: unknown): 'array' | 'object' | 'scalar' {
  if (Array.isArray(value)) return 'array';
  if (value !== null && typeof value === 'object') return 'object';
  return 'scalar';
}

/** RFC 6901 section 3: `~` is written `~0` and `/` is written `~1`. */
export function escapePointer(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}
