import type { HeaderMap } from '../../core/capture-events.js';
import { hideHeaderValue, isSecretHeader } from '../../core/headers.js';
import type { Redactor } from '../../redaction/redactor.js';
import type { MessageDraft } from '../draft.js';

/**
 * A copy of `headers` without secrets, and how many values were hidden. Credential headers (Authorization,
 * Cookie, API keys) and headers whose value came from the server's configuration are always hidden, even
 * with payload redaction off; with it on, a value shaped like a credential is hidden whatever the header's
 * name (`x-my-thing: ghp_...`).
 */
function redactHeaders(
  headers: HeaderMap,
  configured: ReadonlySet<string> | null,
  redactor: Redactor,
): { headers: HeaderMap; count: number } {
  const out: HeaderMap = {};
  let count = 0;
  const one = (name: string, value: string): string => {
    if (isSecretHeader(name) || configured?.has(name)) {
      count++;
      return hideHeaderValue(name, value);
    }
    if (!redactor.enabled || !redactor.suspect(value)) return value;
    const scrubbed = redactor.scrub(value);
    count += scrubbed.count;
    return scrubbed.text;
  };
  // for-in, not Object.entries: no array of pairs for each message's headers.
  for (const name in headers) {
    if (!Object.hasOwn(headers, name)) continue;
    const value = headers[name] as string | string[];
    const lower = name.toLowerCase();
    out[lower] = Array.isArray(value) ? value.map((v) => one(lower, v)) : one(lower, value);
  }
  return { headers: out, count };
}

/** Redacts the draft's request and response headers in place; returns the number of values hidden. */
export function redactDraftHeaders(draft: MessageDraft, redactor: Redactor): number {
  const configured =
    draft.configuredHeaders.length > 0 ? new Set(draft.configuredHeaders.map((h) => h.toLowerCase())) : null;
  const { record } = draft;
  let count = 0;
  if (record.requestHeaders) {
    const result = redactHeaders(record.requestHeaders, configured, redactor);
    record.requestHeaders = result.headers;
    count += result.count;
  }
  if (record.responseHeaders) {
    const result = redactHeaders(record.responseHeaders, configured, redactor);
    record.responseHeaders = result.headers;
    count += result.count;
  }
  return count;
}
