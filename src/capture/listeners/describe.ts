import { summarizeMessage, summarizeText } from '../../core/summary.js';
import { carriesTokens, estimateTokens } from '../../core/tokens.js';
import type { MessageDraft } from '../draft.js';
import type { CaptureListener } from '../pipeline.js';

/** Adds the human summary and, for tool, resource and prompt payloads, a token estimate. */
export function describeListener(): CaptureListener {
  return {
    name: 'describe',
    message(draft: MessageDraft) {
      const { record } = draft;
      if (record.summary === '') {
        record.summary =
          draft.value === undefined
            ? summarizeText(record.message)
            : summarizeMessage(draft.shape, draft.value, record.method);
      }
      if (record.tokens === null && carriesTokens(record.method) && record.kind !== 'error') {
        record.tokens = estimateTokens(record.message);
      }
    },
  };
}
