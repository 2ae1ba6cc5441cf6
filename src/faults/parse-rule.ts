import { GatewayError } from '../core/errors.js';
import type { Direction } from '../core/jsonrpc.js';
import { EMPTY_FILTER, type Filter } from '../filter/ast.js';
import { inFlightProblem } from '../filter/match.js';
import { parseFilter } from '../filter/parser.js';
import type { CutKind, FaultAction, InjectedError } from './rule.js';

/** What `POST /api/faults` and the add_fault tool take, checked: everything a rule needs but its id. */
export interface FaultInput extends FaultAction {
  filter: string;
  direction: Direction | null;
  probability: number;
}

/** Long enough to outlast any client's timeout; longer is a typo, and would hold memory for nothing. */
export const MAX_DELAY_MS = 10 * 60 * 1000;
const MAX_FILTER = 2000;
const MAX_ERROR_MESSAGE = 1000;
const FIELDS = new Set(['filter', 'direction', 'delayMs', 'error', 'httpStatus', 'cut', 'probability']);
const DIRECTIONS: Readonly<Record<string, Direction>> = {
  client_to_server: 'client_to_server',
  c2s: 'client_to_server',
  server_to_client: 'server_to_client',
  s2c: 'server_to_client',
};

const bad = (message: string) => new GatewayError(400, message);

function direction(value: unknown): Direction | null {
  if (value === undefined || value === null) return null;
  const found = typeof value === 'string' ? DIRECTIONS[value] : undefined;
  if (!found) {
    throw bad(
      '"direction" must be "client_to_server" (c2s) or "server_to_client" (s2c), or left out for both.',
    );
  }
  return found;
}

function delayMs(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_DELAY_MS) {
    throw bad(`"delayMs" must be a whole number of milliseconds from 1 to ${MAX_DELAY_MS}, such as 2000.`);
  }
  return value;
}

function injectedError(value: unknown): InjectedError | undefined {
  if (value === undefined || value === null) return undefined;
  const { code, message } = (typeof value === 'object' ? value : {}) as Record<string, unknown>;
  if (typeof code !== 'number' || !Number.isInteger(code)) {
    throw bad(
      '"error" must be {"code": <integer>, "message": "<text>"}, such as {"code": -32603, "message": "Internal error"} (JSON-RPC 2.0 section 5.1).',
    );
  }
  if (typeof message !== 'string' || message.trim() === '' || message.length > MAX_ERROR_MESSAGE) {
    throw bad(`"error.message" must be text of 1 to ${MAX_ERROR_MESSAGE} characters.`);
  }
  return { code, message };
}

function httpStatus(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  // A fault is a failure: 4xx and 5xx (RFC 9110 section 15). A 2xx would be an answer with no body.
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 400 || value > 599) {
    throw bad('"httpStatus" must be an HTTP error status from 400 to 599, such as 503.');
  }
  return value;
}

function cut(value: unknown): CutKind | undefined {
  if (value === undefined || value === null) return undefined;
  if (value !== 'connection' && value !== 'stream') {
    throw bad(
      '"cut" must be "connection" (close the client\'s connection) or "stream" (end the SSE stream mid-response).',
    );
  }
  return value;
}

function probability(value: unknown): number {
  if (value === undefined || value === null) return 1;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw bad('"probability" must be a number from 0 to 1, such as 0.25 for one match in four (default 1).');
  }
  return value;
}

function filterText(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw bad(
      '"filter" is required: the messages to hit, in the filter language, such as "method:tools/call tool:echo". Use "*" for every message.',
    );
  }
  if (value.length > MAX_FILTER) throw bad(`"filter" must be at most ${MAX_FILTER} characters.`);
  return value.trim();
}

/**
 * A rule's filter, parsed once; "*" is every message (the filter language's empty filter). Fields only a
 * stored record has (a duration, a time) are refused, as the filter API refuses any bad filter.
 */
export function compileRuleFilter(text: string): Filter {
  if (text === '*') return EMPTY_FILTER;
  const filter = parseFilter(text);
  const problem = inFlightProblem(filter);
  if (problem) throw problem;
  return filter;
}

/**
 * Checks a fault rule as a client sent it, or fails with a 400 that says what to change. Bad filters fail
 * as the filter API's do (FilterError: position, length, suggestion), so an editor can underline them.
 */
export function parseFaultInput(body: Record<string, unknown>): FaultInput {
  const unknown = Object.keys(body).filter((key) => !FIELDS.has(key));
  if (unknown.length > 0) {
    throw bad(
      `Unknown field(s) ${unknown.map((k) => `"${k}"`).join(', ')}: a fault rule has filter, direction, delayMs, error, httpStatus, cut and probability.`,
    );
  }
  const filter = filterText(body.filter);
  compileRuleFilter(filter);
  const input: FaultInput = {
    filter,
    direction: direction(body.direction),
    probability: probability(body.probability),
  };
  const action: FaultAction = {
    delayMs: delayMs(body.delayMs),
    error: injectedError(body.error),
    httpStatus: httpStatus(body.httpStatus),
    cut: cut(body.cut),
  };
  for (const [key, value] of Object.entries(action)) {
    if (value !== undefined) (input as unknown as Record<string, unknown>)[key] = value;
  }
  checkCombination(input);
  return input;
}

function checkCombination(input: FaultInput): void {
  if (
    input.delayMs === undefined &&
    input.error === undefined &&
    input.httpStatus === undefined &&
    input.cut === undefined
  ) {
    throw bad(
      'A fault rule must do something: give "delayMs", "error", "httpStatus" or "cut" (a delay may come with one of the others).',
    );
  }
  if (input.cut && (input.error || input.httpStatus !== undefined)) {
    throw bad('A cut sends no answer, so it cannot come with "error" or "httpStatus": make them two rules.');
  }
  if (input.cut === 'stream' && input.direction === 'client_to_server') {
    throw bad(
      'A stream cut ends the SSE stream that carries the server\'s answer, so it hits server_to_client messages (a progress notification, the response): drop "direction" or set it to "server_to_client".',
    );
  }
  // The server's side of a gateway is HTTP only for HTTP servers, and even there the gateway is the
  // client: only the client's own HTTP request can be answered with a status.
  if (input.httpStatus !== undefined && input.direction === 'server_to_client') {
    throw bad(
      '"httpStatus" answers the client\'s HTTP request, so it applies to client_to_server messages only: drop "direction" or set it to "client_to_server".',
    );
  }
}
