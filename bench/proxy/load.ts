import { Pool } from 'undici';

/** Where a load run sends its requests: an origin, a path, and the headers every request carries. */
export interface Target {
  origin: string;
  path: string;
  headers: Record<string, string>;
}

export const JSON_RPC_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
};

let nextId = 1;
export function toolCall(name = 'echo', args: Record<string, unknown> = { message: 'hi' }): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id: nextId++,
    method: 'tools/call',
    params: { name, arguments: args },
  });
}

async function once(pool: Pool, target: Target, body: string): Promise<number> {
  const started = process.hrtime.bigint();
  const response = await pool.request({ path: target.path, method: 'POST', headers: target.headers, body });
  // Every byte is read, as a client would: undici's dump() stops after 128 KiB and drops the connection.
  let received = 0;
  for await (const chunk of response.body) received += (chunk as Buffer).length;
  if (response.statusCode !== 200)
    throw new Error(`${target.origin}${target.path} answered ${response.statusCode}`);
  const declared = Number(response.headers['content-length'] ?? received);
  if (received !== declared)
    throw new Error(`${target.origin}${target.path} sent ${received} of ${declared} bytes`);
  return Number(process.hrtime.bigint() - started) / 1000;
}

export function openPool(target: Target, connections: number): Pool {
  return new Pool(target.origin, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
}

/** `count` requests one after another; latencies in microseconds. */
export async function sequential(
  pool: Pool,
  target: Target,
  count: number,
  body: () => string = () => toolCall(),
): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) latencies.push(await once(pool, target, body()));
  return latencies;
}

/** `concurrency` workers sending back to back for `seconds`; requests per second and latencies (µs). */
export async function saturate(
  pool: Pool,
  target: Target,
  concurrency: number,
  seconds: number,
  body: () => string = () => toolCall(),
): Promise<{ rps: number; count: number; latencies: number[] }> {
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  const worker = async () => {
    while (performance.now() < deadline) latencies.push(await once(pool, target, body()));
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - started) / 1000;
  return { rps: latencies.length / elapsed, count: latencies.length, latencies };
}

/** Sends `total` requests at about `perSecond`, `concurrency` at a time at most; calls `tick` every `every`. */
export async function paced(
  pool: Pool,
  target: Target,
  total: number,
  perSecond: number,
  concurrency: number,
  every: number,
  tick: (sent: number) => void,
): Promise<number> {
  let sent = 0;
  const started = performance.now();
  const worker = async () => {
    while (sent < total) {
      const n = sent++;
      const due = started + (n * 1000) / perSecond;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      await once(pool, target, toolCall());
      if ((n + 1) % every === 0) tick(n + 1);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return (performance.now() - started) / 1000;
}

/** Opens an MCP session (initialize + initialized) and returns the headers that carry it. */
export async function openSession(target: Target): Promise<Target> {
  const init = await fetch(`${target.origin}${target.path}`, {
    method: 'POST',
    headers: target.headers,
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: {
        protocolVersion: '2025-11-25',
        capabilities: {},
        clientInfo: { name: 'bench', version: '1' },
      },
    }),
  });
  await init.text();
  const sessionId = init.headers.get('mcp-session-id');
  if (!sessionId) throw new Error(`no session from ${target.origin}${target.path}: ${init.status}`);
  const headers = { ...target.headers, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' };
  const initialized = await fetch(`${target.origin}${target.path}`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
  });
  await initialized.text();
  return { ...target, headers };
}

/** Reads one SSE response to its end: milliseconds to the first byte and to the last. */
export async function streamTimes(
  target: Target,
): Promise<{ firstMs: number; totalMs: number; bytes: number }> {
  const started = performance.now();
  const response = await fetch(`${target.origin}${target.path}`, {
    method: 'POST',
    headers: target.headers,
    body: toolCall(),
  });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  let firstMs = 0;
  let bytes = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    if (firstMs === 0) firstMs = performance.now() - started;
    bytes += chunk.value.byteLength;
  }
  return { firstMs, totalMs: performance.now() - started, bytes };
}
