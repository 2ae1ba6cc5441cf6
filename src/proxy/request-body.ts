import type { IncomingMessage } from 'node:http';
import { GatewayError } from '../core/errors.js';

function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1);
}

/** The 413 for a body past `limit`; `fix` says how to get under it (a smaller body, or a flag). */
export function bodyTooLarge(
  limit: number,
  fix = 'Send a smaller message, or raise the limit with --max-body-mb.',
): GatewayError {
  return new GatewayError(
    413,
    `Request body is larger than the gateway's limit of ${mib(limit)} MiB. ${fix}`,
    {
      headers: { connection: 'close' },
    },
  );
}

/**
 * How much of a refused body the gateway reads and throws away before it closes the connection. Past
 * this, or after this long, the connection is cut: the client had its answer and is still sending.
 */
export const DISCARD_LIMITS = { bytes: 256 * 1024 * 1024, ms: 30_000 };

/**
 * Reads and drops the rest of a request body that was refused; resolves true once the client has sent
 * all of it, false when the limits ran out first or the client went away.
 *
 * Why: closing a connection while the client is still sending makes the kernel answer its next segments
 * with a reset, and a reset discards the response the client has not read yet, so the client sees EPIPE
 * or "connection reset" instead of the 413. RFC 9112 section 9.6 ("Tear-down") asks servers to keep
 * reading for a while before closing for exactly this reason.
 */
export function discardRequestBody(req: IncomingMessage, limits = DISCARD_LIMITS): Promise<boolean> {
  if (req.complete) return Promise.resolve(true);
  return new Promise((resolve) => {
    let seen = 0;
    const finish = (drained: boolean) => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      resolve(drained);
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > limits.bytes) finish(false);
    };
    const onEnd = () => finish(true);
    const onClose = () => finish(req.complete);
    const timer = setTimeout(() => finish(false), limits.ms);
    timer.unref();
    // Whatever was reading the body before (a size check, a web stream over it) has given up on it: its
    // listeners would only buffer what is thrown away here.
    req.removeAllListeners('data');
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onClose);
    req.resume();
  });
}

/**
 * Reads a request body whole, refusing it as soon as it passes `limit` bytes. A POST body is one JSON-RPC
 * message (or batch) that must be validated before it is forwarded, so it is read in full; responses are
 * never buffered like this. After a refusal the rest of the body is still arriving: answer, then let
 * `discardRequestBody` take it before closing.
 */
export function readRequestBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(bodyTooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause();
        reject(bodyTooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onClose = () => {
      if (req.complete) return;
      cleanup();
      reject(new Error('client disconnected while sending the request'));
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}
