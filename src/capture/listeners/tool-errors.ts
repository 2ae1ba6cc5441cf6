import type { MessageDraft } from '../draft.js';
import type { CaptureListener } from '../pipeline.js';

const MAX_ERROR_TEXT = 1000;

function toolErrorText(result: Record<string, unknown>): string {
  const parts: string[] = [];
  if (Array.isArray(result.content)) {
    for (const item of result.content) {
      const text = (item as { type?: unknown; text?: unknown } | null)?.text;
      if (typeof text === 'string') parts.push(text);
    }
  }
  const text = parts.join(' ').trim() || 'tool reported an error (isError) without text';
  return text.length > MAX_ERROR_TEXT ? `${text.slice(0, MAX_ERROR_TEXT - 1)}…` : text;
}

/**
 * A tool that fails answers with a normal result marked `isError: true` (MCP spec, "Tools: Error
 * Handling"), not with a JSON-RPC error. Its text becomes the record's error message, so failed tool calls
 * count as errors in `has:error`, error rates and the error column, like protocol errors do.
 */
export function toolErrorsListener(): CaptureListener {
  return {
    name: 'tool-errors',
    message(draft: MessageDraft) {
      const { record } = draft;
      if (record.kind !== 'response' || record.method !== 'tools/call' || record.errorMessage !== null)
        return;
      const result = (draft.value as { result?: unknown } | null | undefined)?.result;
      if (
        typeof result !== 'object' ||
        result === null ||
        (result as { isError?: unknown }).isError !== true
      ) {
        return;
      }
      record.errorMessage = toolErrorText(result as Record<string, unknown>);
    },
  };
}
