import { createServer } from 'node:http';
import { Pool } from 'undici';

/**
 * The least a Node.js HTTP proxy can do: node:http in, an undici keep-alive pool out, headers and body
 * passed through, nothing checked, parsed, captured or rewritten. The benchmark runs it beside the gateway
 * to show how much of the gateway's added latency and CPU any forwarder on this machine pays.
 */
const [upstreamOrigin, upstreamPath, portArg] = process.argv.slice(2);
const pool = new Pool(upstreamOrigin as string, { keepAliveTimeout: 60_000 });

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    pool.dispatch(
      {
        path: upstreamPath as string,
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: req.headers.accept ?? '*/*' },
        body: Buffer.concat(chunks),
      },
      {
        onRequestStart() {},
        onResponseStart(_controller, status, headers) {
          res.writeHead(status, headers as Record<string, string>);
        },
        onResponseData(_controller, chunk) {
          res.write(chunk);
        },
        onResponseEnd() {
          res.end();
        },
        onResponseError(_controller, error) {
          if (!res.headersSent) res.writeHead(502);
          res.end(String(error));
        },
      },
    );
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(portArg ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);
});
