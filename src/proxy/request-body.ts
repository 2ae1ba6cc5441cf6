import type { IncomingMessage } from 'node:http';
import { GatewayError } from '../core/errors.js';

function tooLarge(limit: number): GatewayError {
  const mib = (limit / 1024 / 1024).toFixed(limit % (1024 * 1024) === 0 ? 0 : 1);
  return new GatewayError(
    413,
    `Request body is larger than the gateway's limit of ${mib} MiB. Send a smaller message, or raise the limit with --max-body-mb.`,
    { headers: { connection: 'close' } },
  );
}

/**
 * Reads a request body whole, refusing it as soon as it passes `limit` bytes. A POST body is one JSON-RPC
 * message (or batch) that must be validated before it is forwarded, so it is read in full; responses are
 * never buffered like this.
 */
export function readRequestBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.resume();
        reject(tooLarge(limit));
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
