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

/**
 * The string values of `root`, in document order, up to `budget` characters. Walked with an explicit stack:
 * a message may nest 100,000 levels deep, which a recursive walk would not survive.
 */
function collectStrings(root: object, out: string[], budget: number): void {
  let left = budget;
  const stack: unknown[] = [];
  // The envelope ("jsonrpc": "2.0", the id, the method already indexed) is not content.
  const top = Array.isArray(root)
    ? root
    : Object.entries(root)
        .filter(([key]) => key !== 'jsonrpc' && key !== 'id' && key !== 'method')
        .map(([, item]) => item);
  for (let i = top.length - 1; i >= 0; i--) stack.push(top[i]);
  while (stack.length > 0 && left > 0) {
    const value = stack.pop();
    if (typeof value === 'string') {
      out.push(value.length > left ? value.slice(0, left) : value);
      left -= value.length + 1;
    } else if (typeof value === 'object' && value !== null) {
      const items = Array.isArray(value) ? value : Object.values(value);
      for (let i = items.length - 1; i >= 0; i--) stack.push(items[i]);
    }
  }
}

/** `parsed` is the message already parsed by capture, when there is one: it saves parsing it again. */
export function searchText(record: SearchableRecord, parsed?: unknown): string {
  const parts: string[] = [];
  if (record.method) parts.push(record.method);
  if (record.summary) parts.push(record.summary);
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
