import { connect } from 'node:net';

export interface RawExchange {
  /** Status code of the response, 0 when none arrived. */
  status: number;
  /** Everything the server sent, headers and body. */
  response: string;
  /** Body bytes the server took before the connection ended. */
  sent: number;
  /** Set when writing failed (EPIPE, ECONNRESET): the server cut the connection under the client. */
  writeError: string | null;
}

/**
 * Sends one HTTP/1.1 POST over a bare socket, the way a plain client does: the whole body first, then it
 * reads. `chunked` leaves Content-Length out, so the server only learns the size while reading.
 */
export function rawPost(
  url: string,
  options: { bytes: number; headers?: Record<string, string>; chunked?: boolean },
): Promise<RawExchange> {
  const target = new URL(url);
  const headers: Record<string, string> = {
    host: target.host,
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    ...options.headers,
  };
  if (options.chunked) headers['transfer-encoding'] = 'chunked';
  else headers['content-length'] = String(options.bytes);
  const head = `POST ${target.pathname}${target.search} HTTP/1.1\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;
  const piece = Buffer.alloc(1024 * 1024, 'a');
  return new Promise((resolve) => {
    const socket = connect(Number(target.port), target.hostname);
    const received: Buffer[] = [];
    let sent = 0;
    let writeError: string | null = null;
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      writeError ??= error.code ?? error.message;
    });
    // A server that keeps the connection open after answering would hang the test: give up after a while.
    const timer = setTimeout(() => socket.destroy(), 20_000);
    socket.on('close', () => {
      clearTimeout(timer);
      const response = Buffer.concat(received).toString('latin1');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0);
      resolve({ status, response, sent, writeError });
    });
    const writeBody = async () => {
      socket.write(head);
      while (sent < options.bytes && !socket.destroyed) {
        const size = Math.min(piece.length, options.bytes - sent);
        const chunk = piece.subarray(0, size);
        const framed = options.chunked
          ? Buffer.concat([Buffer.from(`${size.toString(16)}\r\n`), chunk, Buffer.from('\r\n')])
          : chunk;
        sent += size;
        if (!socket.write(framed)) {
          await new Promise<void>((r) => {
            socket.once('drain', r);
            socket.once('close', r);
          });
        }
      }
      if (options.chunked && !socket.destroyed) socket.write('0\r\n\r\n');
    };
    void writeBody();
  });
}
