import type { Server } from 'node:https';
import type { Socket } from 'node:net';

/**
 * A plain `http://` request to the HTTPS port: OpenSSL finds an HTTP request line where a TLS handshake
 * should be (ERR_SSL_HTTP_REQUEST). Rather than hang up without a word, the gateway answers it in plain
 * HTTP with the address to use. The TCP socket under the TLS one is `_parent` in Node's tls.js, which is no
 * public API: where it is missing, the connection closes as it would anyway.
 */
export function answerPlainHttp(server: Server, httpsOrigin: () => string): void {
  server.on('tlsClientError', (error: NodeJS.ErrnoException, tlsSocket) => {
    if (error.code !== 'ERR_SSL_HTTP_REQUEST') return;
    const raw = (tlsSocket as unknown as { _parent?: Socket })._parent;
    if (!raw || raw.destroyed || !raw.writable) return;
    const body = JSON.stringify({
      error: `This gateway serves HTTPS only: use ${httpsOrigin()} instead of http:// (docs/tls.md).`,
    });
    raw.end(
      `HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
}
