import { parseJsonContainer } from '../core/jsonrpc.js';

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

function collectStrings(value: unknown, out: string[], budget: { left: number }, top: boolean): void {
  if (budget.left <= 0) return;
  if (typeof value === 'string') {
    out.push(value.length > budget.left ? value.slice(0, budget.left) : value);
    budget.left -= value.length + 1;
  } else if (Array.isArray(value)) {
    for (const item of value) collectStrings(item, out, budget, false);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      // The envelope ("jsonrpc": "2.0", the id, the method already indexed) is not content.
      if (top && (key === 'jsonrpc' || key === 'id' || key === 'method')) continue;
      collectStrings(item, out, budget, false);
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
    collectStrings(value, parts, { left: MAX_SEARCH_TEXT }, true);
  } else {
    parts.push(record.message.slice(0, MAX_SEARCH_TEXT));
  }
  return parts.join('\n');
}
