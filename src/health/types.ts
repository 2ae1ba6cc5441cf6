/**
 * How reachable a registered server is. HTTP servers are probed (see probe.ts); stdio servers are judged
 * by their process.
 *   up             an MCP endpoint answered with a JSON-RPC result: server/discover (2026), ping (2025),
 *                  or for a legacy HTTP+SSE server, a stream that names its POST endpoint
 *   error          the host answers, but not as MCP (5xx, an HTML page), with a JSON-RPC error only,
 *                  or with another transport than registered (a legacy HTTP+SSE server registered as http)
 *   auth-required  the endpoint wants credentials (401/403): add them to the server's headers
 *   not-found      the host answers, but not at that path (404): the URL is wrong
 *   down           nothing answers: connection refused, unknown host, timeout
 *   starting, stopped  a stdio server's process is starting, or not running (none needed yet)
 *   misconfigured  its entry refers to an env var or secret that is not set: nothing is contacted or started
 *   unknown        not checked yet (or health checks are off)
 */
export type HealthState =
  | 'up'
  | 'auth-required'
  | 'not-found'
  | 'down'
  | 'error'
  | 'starting'
  | 'stopped'
  | 'misconfigured'
  | 'unknown';

export interface HealthReport {
  state: HealthState;
  /** When the state last changed (epoch ms), or null when never checked. */
  since: number | null;
  checkedAt: number | null;
  latencyMs: number | null;
  httpStatus: number | null;
  /** What was seen, in a sentence a user can act on. */
  detail: string | null;
}

export const UNKNOWN_HEALTH: HealthReport = {
  state: 'unknown',
  since: null,
  checkedAt: null,
  latencyMs: null,
  httpStatus: null,
  detail: null,
};

export interface HealthChange {
  server: string;
  previous: HealthState;
  report: HealthReport;
  /** probe: an HTTP check; traffic: a proxied request's outcome; process: a stdio server's process state. */
  source: 'probe' | 'traffic' | 'process';
}
