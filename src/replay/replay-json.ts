import { GatewayError } from '../core/errors.js';
import { recordToJson } from '../core/record.js';
import type { ReplayOptions, ReplayOutcome } from './replay.js';

/** The options of a replay as the REST API and the MCP tool take them: `{message?, session?}`. */
export function replayOptions(body: Record<string, unknown>): ReplayOptions {
  const unknown = Object.keys(body).filter((key) => key !== 'message' && key !== 'session');
  if (unknown.length > 0) {
    throw new GatewayError(
      400,
      `Unknown field(s) ${unknown.map((k) => `"${k}"`).join(', ')}: a replay takes {"message"?: <edited JSON-RPC request>, "session"?: "new" | "original"}.`,
    );
  }
  const { message, session } = body;
  if (session !== undefined && session !== 'new' && session !== 'original') {
    throw new GatewayError(
      400,
      `"session" must be "new" (a session of the replay's own, the default) or "original" (the original client's session, while it is open).`,
    );
  }
  return {
    ...(message === undefined ? {} : { message }),
    ...(session === undefined ? {} : { session }),
  };
}

/** The answer of `POST /api/logs/<id>/replay`: records as the API gives them, the diff, both durations. */
export function replayToJson(outcome: ReplayOutcome) {
  const json = (record: Parameters<typeof recordToJson>[0] | null) => (record ? recordToJson(record) : null);
  return {
    original: { request: json(outcome.original.request), response: json(outcome.original.response) },
    replay: { request: json(outcome.replay.request), response: json(outcome.replay.response) },
    diff: outcome.diff,
    durations: outcome.durations,
    session: outcome.session,
  };
}
