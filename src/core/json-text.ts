/**
 * JSON helpers that never recurse without bound. `JSON.parse` in V8 is iterative and copes with any
 * nesting, but `JSON.stringify` recurses and throws "Maximum call stack size exceeded" past a few
 * thousand levels. A message nesting 100,000 levels deep is valid JSON-RPC a client may send; the gateway
 * forwards it untouched, so everything that reads it back must cope too.
 */

/** Nesting past which a stored message is handed out as text rather than parsed (API, exports, MCP tools). */
export const MAX_JSON_DEPTH = 128;

/**
 * True when the JSON text nests objects or arrays deeper than `limit`. A scan of the characters (skipping
 * strings), so the answer costs no parse and no stack.
 */
export function jsonDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) {
      inString = true;
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > limit) return true;
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      depth--;
    }
  }
  return false;
}

type Frame =
  | { kind: 'array'; items: unknown[]; index: number }
  | { kind: 'object'; entries: [string, unknown][]; index: number; wrote: boolean };

function scalar(value: unknown): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      return undefined;
  }
}

/**
 * The same text as `JSON.stringify(value)` for values that came from `JSON.parse`, built with an explicit
 * stack so that any nesting works. Only used when the native one gives up.
 */
function stringifyIteratively(value: unknown): string {
  const out: string[] = [];
  const stack: Frame[] = [];
  const open = (item: unknown): void => {
    if (Array.isArray(item)) {
      out.push('[');
      stack.push({ kind: 'array', items: item, index: 0 });
    } else if (typeof item === 'object' && item !== null) {
      out.push('{');
      stack.push({ kind: 'object', entries: Object.entries(item), index: 0, wrote: false });
    } else {
      out.push(scalar(item) ?? 'null');
    }
  };
  open(value);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame;
    if (frame.kind === 'array') {
      if (frame.index >= frame.items.length) {
        out.push(']');
        stack.pop();
        continue;
      }
      if (frame.index > 0) out.push(',');
      open(frame.items[frame.index++]);
    } else {
      if (frame.index >= frame.entries.length) {
        out.push('}');
        stack.pop();
        continue;
      }
      const [key, item] = frame.entries[frame.index++] as [string, unknown];
      // Like JSON.stringify: object members whose value has no JSON form (undefined, functions) are left out.
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
      if (frame.wrote) out.push(',');
      frame.wrote = true;
      out.push(JSON.stringify(key), ':');
      open(item);
    }
  }
  return out.join('');
}

/** `JSON.stringify` that works at any nesting depth. */
export function stringifyJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch (error) {
    if (error instanceof RangeError) return stringifyIteratively(value);
    throw error;
  }
}

/**
 * A short JSON rendering for summaries: at most `maxChars` characters (then "…"), and branches deeper
 * than `maxDepth` shown as `{…}` / `[…]`. Never throws, never walks more than it shows.
 */
export function previewJson(value: unknown, maxChars: number, maxDepth = 8): string {
  let out = '';
  const walk = (item: unknown, depth: number): void => {
    if (out.length > maxChars) return;
    if (Array.isArray(item)) {
      if (depth >= maxDepth) {
        out += '[…]';
        return;
      }
      out += '[';
      for (let i = 0; i < item.length && out.length <= maxChars; i++) {
        if (i > 0) out += ',';
        walk(item[i], depth + 1);
      }
      out += ']';
    } else if (typeof item === 'object' && item !== null) {
      if (depth >= maxDepth) {
        out += '{…}';
        return;
      }
      out += '{';
      let first = true;
      for (const key in item) {
        if (out.length > maxChars) break;
        const child = (item as Record<string, unknown>)[key];
        if (child === undefined) continue;
        if (!first) out += ',';
        first = false;
        out += `${JSON.stringify(key)}:`;
        walk(child, depth + 1);
      }
      out += '}';
    } else {
      const text = scalar(item) ?? 'null';
      out += text.length > maxChars ? text.slice(0, maxChars + 1) : text;
    }
  };
  walk(value, 0);
  return out.length > maxChars ? `${out.slice(0, maxChars - 1)}…` : out;
}
