import type { RecordSink } from '../../store/record-writer.js';
import type { MessageDraft } from '../draft.js';
import type { CaptureListener } from '../pipeline.js';

/**
 * Writes records. Failure policy: a failed write (disk full, database locked too long) loses that record,
 * which is counted and reported, but the proxy keeps forwarding; capture never blocks traffic.
 */
export function storeListener(sink: RecordSink, onFailure: (error: unknown) => void): CaptureListener {
  return {
    name: 'store',
    message(draft: MessageDraft) {
      try {
        draft.id = sink.insert(draft.record, draft.value);
      } catch (error) {
        onFailure(error);
      }
    },
    requestCompleted(draft, httpStatus, sessionId) {
      if (draft.id === null) return;
      draft.record.httpStatus = httpStatus;
      sink.completeRequest(draft.id, httpStatus, sessionId);
    },
    identified(draft) {
      if (draft.id === null) return;
      sink.identify(draft.id, draft.record.serverName, draft.record.serverVersion);
    },
    session(info) {
      sink.saveSession(info);
    },
  };
}
