import { GatewayError } from '../core/errors.js';
import type { CapturedRecord } from '../core/record.js';
import type { LoopbackAnswer } from './loopback-session.js';

/** An answer that is no JSON-RPC answer to the request: the server (or the gateway's way to it) failed. */
export function checkAnswer(
  answer: LoopbackAnswer,
  original: CapturedRecord,
  mode: 'new' | 'original',
): void {
  if (mode === 'original' && answer.status === 404) {
    throw new GatewayError(
      409,
      `The original session of record ${original.id} has ended (server "${original.server}" no longer knows it). Replay without "session": "original" to open a session of its own.`,
    );
  }
  if (answer.status >= 500 || (answer.status >= 400 && answer.messages.length === 0)) {
    const error = answer.messages.find((m) => typeof m === 'object' && m !== null && 'error' in m) as
      | { error?: { message?: unknown } }
      | undefined;
    const said = error?.error?.message ?? (answer.text.slice(0, 300) || `HTTP ${answer.status}`);
    throw new GatewayError(
      answer.status === 504 ? 504 : 502,
      `Server "${original.server}" did not answer the replay (HTTP ${answer.status}): ${String(said)}. The attempt is captured; check the server (its page in the web UI) and replay again.`,
    );
  }
}

export function replayFailure(error: unknown, server: string, timeoutMs: number): GatewayError {
  if (error instanceof GatewayError) return error;
  const name = (error as Error).name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new GatewayError(
      504,
      `Server "${server}" did not answer the replay within ${timeoutMs / 1000} s. What it sent so far is captured; look at the server (its stderr, its page in the web UI) and replay again.`,
    );
  }
  return new GatewayError(
    502,
    `The replay could not reach the gateway's own proxy for "${server}": ${(error as Error).message}. Check that the gateway is still listening and replay again.`,
    { cause: error },
  );
}
