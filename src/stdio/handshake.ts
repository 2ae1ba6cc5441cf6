import {
  type ClientCapabilities,
  type InitializeResult,
  InitializeResultSchema,
  LATEST_PROTOCOL_VERSION,
} from '@modelcontextprotocol/sdk/types.js';
import { VERSION } from '../core/version.js';
import { CLIENT_CAPABILITIES_KEY, CLIENT_INFO_KEY, MODERN_VERSION, PROTOCOL_VERSION_KEY } from './era.js';
import type { JsonObject } from './messages.js';
import type { ServerRequests } from './server-requests.js';

/** Which era a process speaks to the gateway, learned from the handshake it accepted. */
export type ProcessEra =
  | { era: 'legacy'; result: InitializeResult }
  | { era: 'modern'; discover: JsonObject; initializeRefusal: string | null };

/** The process refused every opening the gateway tried: restarting it would not change that. */
export class HandshakeRefused extends Error {}

const CLIENT_INFO = { name: 'mcp-gateway', version: VERSION };

/**
 * MCP lifecycle, "Initialization", with the gateway as the client of a shared process. It declares exactly
 * the capabilities of the sessions the process serves (see client-profile.ts): the server offers them
 * what it would offer each of them alone. The answer is validated at this boundary, and the handshake
 * completed. `write` reaches the process before it counts as running.
 */
export async function initializeProcess(
  requests: ServerRequests,
  write: (line: string) => boolean,
  capabilities: ClientCapabilities,
): Promise<InitializeResult> {
  const result = await requests.internal(
    'initialize',
    { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities, clientInfo: CLIENT_INFO },
    write,
  );
  const parsed = InitializeResultSchema.safeParse(result);
  if (!parsed.success) throw new Error('its answer to initialize is not a valid InitializeResult');
  requests.notifyServer('notifications/initialized', undefined, write);
  return parsed.data as InitializeResult;
}

/**
 * MCP 2026-07-28, "server/discover": the opening of a sessionless connection. A stdio server pins each
 * connection to the era of its first exchange (the SDK v2's serveStdio does), so a process opened this
 * way serves 2026 clients only.
 */
export async function discoverProcess(
  requests: ServerRequests,
  write: (line: string) => boolean,
): Promise<JsonObject> {
  return requests.internal(
    'server/discover',
    {
      _meta: {
        [PROTOCOL_VERSION_KEY]: MODERN_VERSION,
        [CLIENT_INFO_KEY]: CLIENT_INFO,
        [CLIENT_CAPABILITIES_KEY]: {},
      },
    },
    write,
  );
}

/**
 * Learns the era of a process instead of forcing one: `initialize` first (2025, what most servers speak);
 * a server that refuses it (a 2026-only server answers with an unsupported-version error, and keeps the
 * connection open for a 2026 opening) is asked `server/discover`. `modernOnly` opens with discover alone,
 * for the process that serves 2026 clients of a server that also speaks 2025.
 */
export async function openProcess(
  requests: ServerRequests,
  write: (line: string) => boolean,
  capabilities: ClientCapabilities,
  modernOnly: boolean,
): Promise<ProcessEra> {
  let initializeRefusal: string | null = null;
  if (!modernOnly) {
    try {
      return { era: 'legacy', result: await initializeProcess(requests, write, capabilities) };
    } catch (error) {
      initializeRefusal = (error as Error).message;
      if (initializeRefusal.startsWith('no answer')) throw error;
    }
  }
  try {
    return { era: 'modern', discover: await discoverProcess(requests, write), initializeRefusal };
  } catch (error) {
    const discover = (error as Error).message;
    if (discover.startsWith('no answer') && initializeRefusal === null) throw error;
    throw new HandshakeRefused(
      initializeRefusal === null
        ? `it does not speak MCP ${MODERN_VERSION}: it refused server/discover (${discover}); it serves MCP 2025 clients only`
        : `it refused both handshakes the gateway knows: initialize (MCP ${LATEST_PROTOCOL_VERSION}: ${initializeRefusal}) and server/discover (MCP ${MODERN_VERSION}: ${discover})`,
    );
  }
}
