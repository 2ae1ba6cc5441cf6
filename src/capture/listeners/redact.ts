import { stringifyJson } from '../../core/json-text.js';
import { Redactor } from '../../redaction/redactor.js';
import type { MessageDraft } from '../draft.js';
import type { CaptureListener } from '../pipeline.js';
import type { CapturePolicy } from '../policy.js';
import { redactDraftHeaders } from './redact-headers.js';

/**
 * Removes secrets before anything else sees a record, so that neither the stored message, its search text
 * nor its summary (made later, from the redacted value) holds them: values under secret key names and
 * credential-shaped strings in the payload, credential headers, and header values shaped like credentials.
 * The count of replaced values is stored on the record and shown with it.
 */
export function redactListener(policy: CapturePolicy): CaptureListener {
  let redactor = new Redactor(policy.redaction);
  return {
    name: 'redact',
    configure(next: CapturePolicy) {
      redactor = new Redactor(next.redaction);
    },
    message(draft: MessageDraft) {
      try {
        redact(draft, redactor);
      } catch (error) {
        // Failure policy: a message that could not be redacted is not stored as it was. The record keeps
        // its place in the timeline, without its content, and the failure is reported.
        withheld(draft);
        throw error;
      }
    },
  };
}

const WITHHELD = '[REDACTED:unredactable] redaction failed, so the message was not stored';

function withheld(draft: MessageDraft): void {
  const { record } = draft;
  draft.value = undefined;
  record.message = WITHHELD;
  record.truncated = false;
  record.errorMessage = null;
  draft.shape.errorMessage = null;
  record.requestHeaders = null;
  record.responseHeaders = null;
  record.redactions = 1;
}

function redact(draft: MessageDraft, redactor: Redactor): void {
  const { record } = draft;
  let count = redactDraftHeaders(draft, redactor);
  if (redactor.enabled) {
    if (draft.value !== undefined) {
      const result = redactor.value(draft.value, record.server);
      if (result.count > 0) {
        draft.value = result.value;
        record.message = stringifyJson(result.value);
        count += result.count;
      }
    } else {
      const result = redactor.text(record.message, record.server);
      record.message = result.text;
      count += result.count;
    }
    // The error message is a copy of the message's `error.message`, already counted there.
    if (record.errorMessage !== null) {
      const { text } = redactor.scrub(record.errorMessage);
      record.errorMessage = text;
      draft.shape.errorMessage = text;
    }
  }
  record.redactions = count;
}
