import {
  type ClientCapabilities,
  type InitializeResult,
  InitializeResultSchema,
  LATEST_PROTOCOL_VERSION,
} from '@modelcontextprotocol/sdk/types.js';
import { VERSION } from '../core/version.js';
import type { ServerRequests } from './server-requests.js';

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
    {
      protocolVersion: LATEST_PROTOCOL_VERSION,
      capabilities,
      clientInfo: { name: 'mcp-gateway', version: VERSION },
    },
    write,
  );
  const parsed = InitializeResultSchema.safeParse(result);
  if (!parsed.success) throw new Error('its answer to initialize is not a valid InitializeResult');
  requests.notifyServer('notifications/initialized', undefined, write);
  return parsed.data as InitializeResult;
}
