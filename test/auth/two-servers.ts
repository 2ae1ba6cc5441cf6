import type { Role } from '../../src/auth/roles.js';
import { TokenStore } from '../../src/auth/token-store.js';
import { startTestGateway, TEST_TOKEN, type TestGateway } from '../helpers/gateway.js';
import { connectClient, HOST_WITHOUT_ROOTS } from '../helpers/mcp-client.js';
import { stdioServers } from '../helpers/stdio.js';

/** Who the role tests act as: the owner's startup token and a named token per role and scope. */
export interface Principals {
  owner: string;
  admin: string;
  operator: string;
  viewer: string;
  /** A viewer that may see only the server "beta". */
  betaViewer: string;
  /** An operator that may act only on the server "beta". */
  betaOperator: string;
}

export type Who = keyof Principals;

export interface TwoServers {
  gw: TestGateway;
  tokens: Principals;
  store: TokenStore;
  /** Sessions the SDK client opened on each server, with one echo call each. */
  sessions: { alpha: string; beta: string };
}

/**
 * A real gateway in front of two real MCP servers (server-everything over stdio, "alpha" and "beta"),
 * an HTTP entry nobody listens on ("gamma", for harmless writes), real traffic through both, and named
 * tokens made the way `mcp-gateway token create` makes them.
 */
export async function startTwoServers(): Promise<TwoServers> {
  const gw = await startTestGateway({
    healthInterval: 0,
    servers: {
      alpha: stdioServers.everything(),
      beta: stdioServers.everything(),
      gamma: { type: 'http', url: 'http://127.0.0.1:9/mcp' },
    },
  });
  const store = new TokenStore(gw.storageDir);
  const create = (name: string, role: Role, servers?: string[]) =>
    store.create({ name, role, servers: servers ?? null }).value;
  const tokens: Principals = {
    owner: TEST_TOKEN,
    admin: create('team-admin', 'admin'),
    operator: create('team-operator', 'operator'),
    viewer: create('team-viewer', 'viewer'),
    betaViewer: create('beta-viewer', 'viewer', ['beta']),
    betaOperator: create('beta-operator', 'operator', ['beta']),
  };
  const sessions = { alpha: '', beta: '' };
  for (const server of ['alpha', 'beta'] as const) {
    const client = await connectClient(gw.proxyUrl(server), `${server}-client`, HOST_WITHOUT_ROOTS);
    sessions[server] = client.transport.sessionId as string;
    await client.client.callTool({ name: 'echo', arguments: { message: `hello ${server}` } });
    await client.close();
  }
  await gw.gateway.flushCapture();
  return { gw, tokens, store, sessions };
}

/** A request to the gateway as one of the principals. */
export function as(context: TwoServers, who: Who, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${context.gw.url}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${context.tokens[who]}`,
      'content-type': 'application/json',
      ...(init.headers ?? {}),
    },
  });
}
