import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { Pool } from 'undici';
import { LineSplitter } from '../../src/stdio/line-splitter.js';

/**
 * Minimal MCP clients for measuring: they send a JSON-RPC request and wait for the answer with that id,
 * and nothing else, so that the figures are the server's and the gateway's, not a client library's.
 */
export interface BenchClient {
  readonly label: string;
  call(id: number): Promise<void>;
  close(): Promise<void>;
}

const INITIALIZE = {
  jsonrpc: '2.0',
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } },
};

function echoCall(id: number): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name: 'echo', arguments: { message: `hello ${id}` } },
  });
}

/** Speaks newline-delimited JSON-RPC to a process it spawns (the server itself, or wrap in front of it). */
export async function stdioClient(label: string, command: string, args: string[]): Promise<BenchClient> {
  const child: ChildProcessWithoutNullStreams = spawn(command, args, { stdio: 'pipe' });
  child.stderr.resume();
  const waiting = new Map<number, () => void>();
  const lines = new LineSplitter(64 * 1024 * 1024, {
    line: (line) => {
      const message = JSON.parse(line) as { id?: number };
      if (typeof message.id === 'number') {
        waiting.get(message.id)?.();
        waiting.delete(message.id);
      }
    },
    overflow: () => {},
    overflowEnd: () => {},
  });
  child.stdout.on('data', (chunk: Buffer) => lines.push(chunk));
  const request = (id: number, text: string) =>
    new Promise<void>((resolve) => {
      waiting.set(id, resolve);
      child.stdin.write(`${text}\n`);
    });
  await request(-1, JSON.stringify({ ...INITIALIZE, id: -1 }));
  child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
  return {
    label,
    call: (id) => request(id, echoCall(id)),
    close: () =>
      new Promise((resolve) => {
        child.once('close', () => resolve());
        child.stdin.end();
        setTimeout(() => child.kill('SIGKILL'), 1000).unref();
      }),
  };
}

/** Streamable HTTP over an undici keep-alive pool: POST, then read the SSE (or JSON) answer to the end. */
export async function httpClient(label: string, url: string, connections: number): Promise<BenchClient> {
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections, pipelining: 1 });
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
  };
  const post = async (body: string) => {
    const response = await pool.request({ path: target.pathname, method: 'POST', headers, body });
    const text = await response.body.text();
    if (response.statusCode >= 400) throw new Error(`${label}: HTTP ${response.statusCode} ${text}`);
    return { headers: response.headers, text };
  };
  const init = await post(JSON.stringify({ ...INITIALIZE, id: -1 }));
  const session = init.headers['mcp-session-id'];
  if (typeof session === 'string') headers['mcp-session-id'] = session;
  headers['mcp-protocol-version'] = '2025-06-18';
  await post(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
  return {
    label,
    call: async (id) => {
      const { text } = await post(echoCall(id));
      if (!text.includes(`hello ${id}`)) throw new Error(`${label}: unexpected answer ${text.slice(0, 200)}`);
    },
    close: async () => {
      await pool.request({ path: target.pathname, method: 'DELETE', headers }).then(
        (r) => r.body.dump(),
        () => {},
      );
      await pool.close();
    },
  };
}
