import type { CaptureSink } from '../core/capture-events.js';
import { ExchangeCapture } from './exchange-capture.js';
import type { LegacySseUpstream } from './legacy-sse-upstream.js';

/**
 * POSTs the gateway's answer to a legacy server's own request (elicitation, sampling, roots) in its
 * client's place, when a breakpoint or fault rule answered or dropped that request. Captured as an exchange
 * the gateway made (origin injected), so the timeline shows who answered.
 */
export function answerLegacyServer(
  connection: LegacySseUpstream | null,
  capture: { sink: CaptureSink; maxCaptureBytes: number },
  server: string,
  sessionId: string,
  text: string,
): void {
  if (!connection || connection.closed) return;
  const exchange = new ExchangeCapture(capture.sink, capture.maxCaptureBytes);
  const headers = { 'content-type': 'application/json' };
  exchange.start(server, 'POST', sessionId, headers, [], Buffer.from(text), text, undefined, 'injected');
  connection.post(text).then(
    (reply) => {
      const type: Record<string, string> = reply.contentType ? { 'content-type': reply.contentType } : {};
      exchange.responseStart(reply.status, type, reply.text ? 'other' : 'none', 'upstream');
      if (reply.text) exchange.chunk(Buffer.from(reply.text));
      exchange.end(null);
    },
    (error: unknown) =>
      exchange.end(`the gateway's answer did not reach the server: ${(error as Error).message}`),
  );
}
