import type { MessageKind } from '../../core/jsonrpc.js';
import type { CaptureListener } from '../pipeline.js';

export interface Tally {
  messages: number;
  errors: number;
  byServer: Record<string, number>;
  byKind: Partial<Record<MessageKind, number>>;
}

export function emptyTally(): Tally {
  return { messages: 0, errors: 0, byServer: {}, byKind: {} };
}

/** Counts what was stored, for the shutdown summary and the status API. */
export function tallyListener(tally: Tally): CaptureListener {
  return {
    name: 'tally',
    message(draft) {
      if (draft.id === null) return;
      const { record } = draft;
      tally.messages++;
      if (record.kind === 'error') tally.errors++;
      tally.byServer[record.server] = (tally.byServer[record.server] ?? 0) + 1;
      tally.byKind[record.kind] = (tally.byKind[record.kind] ?? 0) + 1;
    },
  };
}
