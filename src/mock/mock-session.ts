import type { Fixture } from './fixture.js';
import { brief, type RecordingCursor, type Recordings } from './matcher.js';

type JsonObject = Record<string, unknown>;
type Id = string | number | null;

/** JSON-RPC 2.0 error codes (JSON-RPC 2.0, section 5.1). */
const PARSE_ERROR = -32700;
const INVALID_REQUEST = -32600;
const METHOD_NOT_FOUND = -32601;
const INVALID_PARAMS = -32602;

export type MockLog = (line: string) => void;

function errorAnswer(id: Id, code: number, message: string): JsonObject {
  return { jsonrpc: '2.0', id, error: { code, message } };
}

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * One client's conversation with the mock: requests get the recorded answers (each question's recordings
 * in order, per conversation), notifications and the client's own answers are accepted and go unanswered.
 * Answers are built from the recorded `result` or `error` as they were, under the client's id, so the
 * client reads exactly what the real server sent.
 */
export class MockSession {
  readonly #cursor: RecordingCursor;

  constructor(
    readonly fixture: Fixture,
    recordings: Recordings,
    readonly log: MockLog = () => {},
  ) {
    this.#cursor = recordings.cursor();
  }

  /** The answer to one parsed message (or batch), or null when nothing is to be sent back. */
  handle(message: unknown): unknown {
    if (Array.isArray(message)) {
      const answers = message.map((m) => this.#one(m)).filter((a) => a !== null);
      return answers.length ? answers : null;
    }
    return this.#one(message);
  }

  /** An answer for a line or body that is not JSON. */
  static parseError(detail: string): JsonObject {
    return errorAnswer(null, PARSE_ERROR, `Parse error: the message is not JSON (${detail})`);
  }

  #one(message: unknown): JsonObject | null {
    if (!isObject(message) || message.jsonrpc !== '2.0') {
      return errorAnswer(null, INVALID_REQUEST, 'Invalid Request: not a JSON-RPC 2.0 message');
    }
    const { id, method, params } = message;
    const hasId = typeof id === 'string' || typeof id === 'number';
    if (typeof method !== 'string') return null; // the client's answer to a server request: nothing to say
    if (!hasId) {
      this.log(`notification ${method} accepted`);
      return null;
    }
    const handshake = this.fixture.handshake;
    if (handshake && method === handshake.method) {
      this.log(`${method}: recorded handshake answer`);
      return { jsonrpc: '2.0', id, result: handshake.result };
    }
    if (method === 'initialize' || method === 'server/discover') {
      const other = handshake
        ? `the recording opens with ${handshake.method}`
        : 'the recording has no handshake';
      return errorAnswer(
        id,
        METHOD_NOT_FOUND,
        `no recorded answer for ${method}: ${other}. Export the whole session (mcp-gateway mock export --from <session id>) so the mock can answer the client's opening`,
      );
    }
    const recorded = this.#cursor.next(method, params);
    if (recorded) {
      this.log(`${method} ${brief(params, 80)}: recorded answer (record ${recorded.recordId ?? '?'})`);
      return recorded.error !== undefined
        ? { jsonrpc: '2.0', id, error: recorded.error }
        : { jsonrpc: '2.0', id, result: recorded.result };
    }
    // A ping is answered whether recorded or not (MCP Utilities, "Ping": an empty result).
    if (method === 'ping') return { jsonrpc: '2.0', id, result: {} };
    const why = this.#cursor.recordings.explainMiss(method, params);
    this.log(why);
    const known = this.#cursor.recordings.methods().includes(method);
    return errorAnswer(id, known ? INVALID_PARAMS : METHOD_NOT_FOUND, why);
  }
}
