import { stringifyJson } from '../core/json-text.js';
import { parseJsonContainer } from '../core/jsonrpc.js';
import type { NewRecord } from '../core/record.js';
import type { Redactor } from './redactor.js';

/**
 * Redacts a whole record that did not come through capture (an imported export, which may have been
 * written by a gateway with redaction off): its message, summary, error message and header values. The
 * count is added to the record's own. Header names are not judged here: the exporting gateway already
 * hid credential headers, and values of known credential formats are caught by shape.
 */
export function redactRecord(record: NewRecord, redactor: Redactor): NewRecord {
  if (!redactor.enabled) return record;
  let count = 0;
  const text = (value: string): string => {
    const result = redactor.text(value, record.server);
    count += result.count;
    return result.text;
  };
  /** Summary and error message repeat what the message holds: redacted, not counted again. */
  const copy = (value: string): string => redactor.text(value, record.server).text;
  let message = record.message;
  const parsed = record.truncated ? undefined : parseJsonContainer(message);
  if (parsed !== undefined) {
    const result = redactor.value(parsed, record.server);
    if (result.count > 0) message = stringifyJson(result.value);
    count += result.count;
  } else {
    message = text(message);
  }
  const headers = (map: NewRecord['requestHeaders']): NewRecord['requestHeaders'] => {
    if (!map) return map;
    const out: NonNullable<NewRecord['requestHeaders']> = {};
    for (const [name, value] of Object.entries(map))
      out[name] = Array.isArray(value) ? value.map(text) : text(value);
    return out;
  };
  const redacted: NewRecord = {
    ...record,
    message,
    summary: copy(record.summary),
    errorMessage: record.errorMessage === null ? null : copy(record.errorMessage),
    requestHeaders: headers(record.requestHeaders),
    responseHeaders: headers(record.responseHeaders),
  };
  redacted.redactions = record.redactions + count;
  return redacted;
}
