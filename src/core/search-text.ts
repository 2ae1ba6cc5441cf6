import { parseJsonContainer } from './jsonrpc.js';

/**
 * The text full-text search sees for a record: its method, summary and error message, and the string
 * values inside the message (arguments, results, resource contents), without JSON's keys and punctuation,
 * so that searching "result" or "jsonrpc" does not match every record. Text that is not JSON is indexed as
 * it is. Capped so one huge payload cannot make indexing slow.
 */

export const MAX_SEARCH_TEXT = 64 * 1024;

export interface SearchableRecord {
  method: string | null;
  summary: string;
  errorMessage: string | null;
  message: string;
  truncated: boolean;
}

/** The envelope ("jsonrpc": "2.0", the id, the method already indexed) is not content. */
const ENVELOPE = new Set(['jsonrpc', 'id', 'method']);

/**
 * The string values of `root`, in document order, up to `budget` characters. Walked with an explicit stack:
 * a message may nest 100,000 levels deep, which a recursive walk would not survive. Runs for every captured
 * message, so it walks keys with for-in rather than copying each object's entries or values into arrays
 * of their own, garbage for the capture worker's collector.
 */
function collectStrings(root: object, out: string[], budget: number): void {
  let left = budget;
  const stack: unknown[] = [];
  pushItems(stack, root, true);
  while (stack.length > 0 && left > 0) {
    const value = stack.pop();
    if (typeof value === 'string') {
      out.push(value.length > left ? value.slice(0, left) : value);
      left -= value.length + 1;
    } else if (typeof value === 'object' && value !== null) {
      pushItems(stack, value, false);
    }
  }
}

/** Pushes the items of `value` last to first, so that `stack` pops them in document order. */
function pushItems(stack: unknown[], value: object, top: boolean): void {
  if (Array.isArray(value)) {
    for (let i = value.length - 1; i >= 0; i--) stack.push(value[i]);
    return;
  }
  const start = stack.length;
  for (const key in value) {
    if (!Object.hasOwn(value, key) || (top && ENVELOPE.has(key))) continue;
    stack.push((value as Record<string, unknown>)[key]);
  }
  reverseFrom(stack, start);
}

/** Reverses `items` from `start` to its end, in place. */
function reverseFrom(items: unknown[], start: number): void {
  for (let i = start, j = items.length - 1; i < j; i++, j--) {
    const item = items[i];
    items[i] = items[j];
    items[j] = item;
  }
}

/**
 * The summary as indexed. A clipped summary ends in "…" (and a clipped argument inside it has one too),
 * the one character outside Latin-1 in most records: it made V8 store their whole search text two bytes a
 * character, which doubled what the text costs to build, to hand to the writer thread and to convert for
 * SQLite. "…" separates tokens for FTS5's unicode61 tokenizer and for the filter's matcher alike, as a
 * space does, so the tokens indexed are the same.
 */
function indexedSummary(summary: string): string {
  return summary.includes('…') ? summary.replaceAll('…', ' ') : summary;
}

/** `parsed` is the message already parsed by capture, when there is one: it saves parsing it again. */
export function searchText(record: SearchableRecord, parsed?: unknown): string {
  const parts: string[] = [];
  if (record.method) parts.push(record.method);
  if (record.summary) parts.push(indexedSummary(record.summary));
  if (record.errorMessage) parts.push(record.errorMessage);
  const value =
    parsed !== undefined ? parsed : record.truncated ? undefined : parseJsonContainer(record.message);
  if (value !== undefined && typeof value === 'object' && value !== null) {
    collectStrings(value, parts, MAX_SEARCH_TEXT);
  } else {
    parts.push(record.message.slice(0, MAX_SEARCH_TEXT));
  }
  return parts.join('\n');
}
