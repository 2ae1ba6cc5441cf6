import type { ExchangeCapture } from '../../src/proxy/exchange-capture.js';
import type { Exchange } from './traffic.js';

/**
 * What the proxy tells capture about one exchange of the synthetic traffic: the POSTed request, then its
 * JSON answer (`answer`, encoded) or a 202 for a notification. `capture` is the source's or the built
 * gateway's ExchangeCapture, whichever the benchmark measures.
 */
export function emitExchange(
  capture: Pick<ExchangeCapture, 'start' | 'responseStart' | 'chunk' | 'end'>,
  exchange: Exchange,
  body: Buffer,
  answer: Uint8Array | null,
): void {
  capture.start(
    exchange.server,
    'POST',
    exchange.sessionId,
    { 'content-type': 'application/json' },
    [],
    body,
  );
  if (answer) {
    capture.responseStart(
      200,
      { 'content-type': 'application/json', 'mcp-session-id': exchange.sessionId },
      'json',
      'upstream',
    );
    capture.chunk(answer);
  } else {
    capture.responseStart(202, {}, 'none', 'upstream');
  }
  capture.end(null);
}
