import { createServer } from 'node:http';

/**
 * The fastest honest MCP upstream: node:http answering canned JSON-RPC results (the request id echoed), so
 * that what a benchmark measures is the gateway, not the server. Routes:
 *   /mcp           a small tools/call result
 *   /big?bytes=N   a tools/call result carrying N bytes of text
 *   /sse?events=N  an SSE response: N progress notifications, then the result
 */
const port = Number(process.argv[2] ?? 0);
const ID = /"id"\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+)/;

function result(id: string, text: string): string {
  return `{"jsonrpc":"2.0","id":${id},"result":{"content":[{"type":"text","text":"${text}"}]}}`;
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const id = ID.exec(body)?.[1] ?? 'null';
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/sse') {
      const events = Number(url.searchParams.get('events') ?? 1000);
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      for (let i = 1; i <= events; i++) {
        res.write(
          `id: ${i}\ndata: {"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":"t","progress":${i},"total":${events}}}\n\n`,
        );
      }
      res.end(`id: ${events + 1}\ndata: ${result(id, 'done')}\n\n`);
      return;
    }
    const text =
      url.pathname === '/big' ? 'x'.repeat(Number(url.searchParams.get('bytes') ?? 1_048_576)) : 'Echo: hi';
    const payload = result(id, text);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
    res.end(payload);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : port}\n`);
});
