import type { IncomingMessage } from 'node:http';
import type { StdioHttpDetail } from '../core/capture-events.js';
import { REPLAY_HEADER, replayOfHeader } from '../core/replay-mark.js';

/**
 * What a stdio server's records keep of the HTTP request its client sent to the gateway: method, the
 * status the client got, user agent (as an HTTP server's records do). Cheap: read once per request.
 */
export function clientHttp(req: IncomingMessage, status: number | null): StdioHttpDetail {
  const userAgent = req.headers['user-agent'];
  const replayOf = replayOfHeader(req.headers[REPLAY_HEADER]);
  return {
    method: req.method ?? 'POST',
    status,
    userAgent: typeof userAgent === 'string' ? userAgent : null,
    ...(replayOf === null ? {} : { replayOf }),
  };
}

/**
 * The status a POST the transport accepted is answered with (MCP Streamable HTTP, "Sending Messages to the
 * Server"): 202 Accepted when it carries only notifications or responses, else 200 with the answers.
 */
export function acceptedStatus(hasRequest: boolean): number {
  return hasRequest ? 200 : 202;
}
