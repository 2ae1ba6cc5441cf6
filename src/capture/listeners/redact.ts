import { redactHeaders } from '../../core/headers.js';
import type { MessageDraft } from '../draft.js';
import type { CaptureListener } from '../pipeline.js';

/**
 * Removes secrets before anything is stored or shown: credential headers (Authorization, Cookie,
 * Set-Cookie, API keys) and every header whose value came from the server's configuration.
 */
export function redactListener(): CaptureListener {
  return {
    name: 'redact',
    message(draft: MessageDraft) {
      const configured =
        draft.configuredHeaders.length > 0
          ? new Set(draft.configuredHeaders.map((h) => h.toLowerCase()))
          : null;
      const { record } = draft;
      if (record.requestHeaders) record.requestHeaders = redactHeaders(record.requestHeaders, configured);
      if (record.responseHeaders) record.responseHeaders = redactHeaders(record.responseHeaders, configured);
    },
  };
}
