import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { ConfigError, DEFAULT_PORT, parsePort, resolveStorageDir } from '../config/options.js';
import { RpcErrorCode } from '../core/errors.js';
import { PROXY_TOKEN_HEADER } from '../proxy/proxy-token.js';
import { proxyPath } from '../proxy/route.js';
import { Registry } from '../registry/registry.js';
import { storagePaths } from '../storage/storage-dir.js';
import { HttpRelay } from './http-relay.js';

export interface ConnectOptions {
  name: string;
  url?: string;
  port?: string;
  host?: string;
  storageDir?: string;
}

export interface ConnectIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

/** The proxy URL to forward to: --url (a gateway base URL, or a full …/mcp URL), else --host/--port. */
export function connectUrl(options: ConnectOptions, env: NodeJS.ProcessEnv = process.env): URL {
  const path = proxyPath(encodeURIComponent(options.name));
  let given = options.url;
  if (given === undefined) {
    const port = parsePort(options.port ?? env.MCP_GATEWAY_PORT ?? DEFAULT_PORT);
    if (port === 0)
      throw new ConfigError('invalid port "0": give the port the gateway listens on, such as 3333');
    given = `http://${options.host ?? 'localhost'}:${port}`;
  }
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    throw new ConfigError(
      `invalid --url "${given}": use the gateway's address, such as http://localhost:3333`,
    );
  }
  if (!url.pathname.endsWith('/mcp')) url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
  return url;
}

/** With --storage-dir, a name the gateway does not know is refused before any client talks to it. */
function checkRegistered(options: ConnectOptions): void {
  if (options.storageDir === undefined) return;
  const registry = new Registry(storagePaths(resolveStorageDir(options.storageDir)).registry, () => {});
  try {
    if (registry.error === null && !registry.get(options.name)) {
      const names = registry.names();
      throw new ConfigError(
        `no server named "${options.name}" in ${registry.path} (registered: ${names.length > 0 ? names.join(', ') : 'none'}). Register it first: POST /api/servers/config or edit mcp.json`,
      );
    }
  } finally {
    registry.close();
  }
}

/**
 * The JSON-RPC error a refused POST carried (an upstream's -32020 HeaderMismatch with its `data`, the
 * gateway's own errors), to hand to the client unchanged: code, message and data.
 */
function answeredError(error: Error): { code: number; message: string; data?: unknown } | null {
  const body = error.message.indexOf('{');
  if (body === -1) return null;
  try {
    const parsed = JSON.parse(error.message.slice(body)) as { jsonrpc?: unknown; error?: unknown };
    const rpc = parsed.error as { code?: unknown; message?: unknown; data?: unknown } | undefined;
    if (parsed.jsonrpc !== '2.0' || typeof rpc?.code !== 'number' || typeof rpc.message !== 'string') {
      return null;
    }
    return { code: rpc.code, message: rpc.message, ...('data' in rpc ? { data: rpc.data } : {}) };
  } catch {
    return null;
  }
}

/** What a failed POST to the gateway means for the client, in the gateway's own words when it gave any. */
function failureText(error: Error, url: URL): string {
  const body = error.message.indexOf('{');
  if (body !== -1) {
    try {
      const parsed = JSON.parse(error.message.slice(body)) as { error?: { message?: string } };
      if (parsed.error?.message) return parsed.error.message;
    } catch {
      // Not the gateway's JSON-RPC error: the raw message follows.
    }
  }
  if (/fetch failed|ECONNREFUSED/.test(error.message) || error.cause) {
    return `No MCP Gateway answers at ${url.origin}: start it with "mcp-gateway" (or pass --port / --url to connect).`;
  }
  return `The gateway at ${url.origin} refused the message: ${error.message}`;
}

/**
 * `mcp-gateway connect <name>`: a stdio MCP server for clients that only launch commands, forwarding every
 * message to /s/<name>/mcp of a running gateway, which captures it. Messages are relayed as they are; the
 * Streamable HTTP session (id, protocol version header, GET stream, renewal) is the relay's. Resolves
 * with the exit code once the client has closed stdin.
 */
export async function runConnect(
  options: ConnectOptions,
  io: ConnectIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const log = (message: string) => io.stderr.write(`mcp-gateway connect: ${message}\n`);
  const url = connectUrl(options, env);
  checkRegistered(options);
  // A gateway started with --proxy-auth wants a gateway token beside whatever the server itself asks for.
  const token = env.MCP_GATEWAY_TOKEN;
  const http = new HttpRelay(url, log, token ? { [PROXY_TOKEN_HEADER]: token } : {});
  const stdio = new StdioServerTransport(io.stdin, io.stdout);
  const toClient = (message: JSONRPCMessage) => {
    stdio.send(message).catch(() => {});
  };
  http.onmessage = toClient;
  stdio.onerror = (error) => log(`unreadable message from the client: ${error.message}`);
  stdio.onmessage = (message) => {
    http.send(message).catch((error: Error) => {
      const text = failureText(error, url);
      log(text);
      if ('method' in message && 'id' in message) {
        toClient({
          jsonrpc: '2.0',
          id: message.id,
          error: answeredError(error) ?? { code: RpcErrorCode.GatewayFailure, message: text },
        });
      }
    });
  };
  await http.start();
  await stdio.start();
  await new Promise<void>((resolve) => {
    io.stdin.once('end', resolve);
    io.stdin.once('close', resolve);
  });
  await http.close();
  await stdio.close().catch(() => {});
  return 0;
}
