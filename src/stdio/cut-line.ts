import type { RequestId } from '@modelcontextprotocol/sdk/types.js';
import { isRequestId } from './messages.js';

/**
 * Whose answer a stdout line was, read from the few bytes the gateway keeps of a line too long to take
 * (its start and its end), without parsing the rest. Servers write the id first (`{"jsonrpc":"2.0",
 * "id":7,"result":...`, as most SDKs outside JavaScript do) or last (the TypeScript SDK's
 * `{"result":...,"jsonrpc":"2.0","id":7}`); both are read.
 */

const ID = String.raw`(-?\d+|"(?:[^"\\]|\\.)*")`;
const JSONRPC = String.raw`"jsonrpc"\s*:\s*"2\.0"\s*,\s*`;
/** `{"jsonrpc":"2.0","id":7,` or `{"id":7,`, at the very start of the line. */
const ID_FIRST = new RegExp(String.raw`^\s*\{\s*(?:${JSONRPC})?"id"\s*:\s*${ID}\s*,`);
/** `"id":7}` at the very end of the line. */
const ID_LAST = new RegExp(String.raw`"id"\s*:\s*${ID}\s*\}\s*$`);
/** An answer's first keys: `{"result":`, `{"jsonrpc":"2.0","error":`, `{"id":7,"result":`. */
const ANSWER_FIRST = new RegExp(
  String.raw`^\s*\{\s*(?:${JSONRPC})?(?:"id"\s*:\s*${ID}\s*,\s*)?"(?:result|error)"\s*:`,
);

function parseId(match: RegExpExecArray | null): RequestId | undefined {
  if (!match) return undefined;
  try {
    const id: unknown = JSON.parse(match[1] as string);
    return isRequestId(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

export interface CutLine {
  /** The id the line names, if its start or end shows it. */
  id: RequestId | undefined;
  /** Its first keys are those of an answer (`result` or `error`), so some request is waiting for it. */
  answer: boolean;
}

export function readCutLine(head: string, tail: string): CutLine {
  const id = parseId(ID_FIRST.exec(head)) ?? parseId(ID_LAST.exec(tail));
  return { id, answer: ANSWER_FIRST.test(head) };
}
