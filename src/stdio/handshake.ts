import {
  type InitializeResult,
  InitializeResultSchema,
  LATEST_PROTOCOL_VERSION,
} from '@modelcontextprotocol/sdk/types.js';
import { VERSION } from '../core/version.js';
import type { ServerRequests } from './server-requests.js';

/**
 * MCP lifecycle, "Initialization", with the gateway as the client of a shared process. It declares the
 * client capabilities it can relay to sessions (roots, sampling, elicitation), validates the answer at
 * this boundary, and completes the handshake. `write` reaches the process before it counts as running.
 */
export async function initializeProcess(
  requests: ServerRequests,
  write: (line: string) => boolean,
): Promise<InitializeResult> {
  const result = await requests.internal(
    'initialize',
    {
      protocolVersion: LATEST_PROTOCOL_VERSION,
      capabilities: { roots: { listChanged: true }, sampling: {}, elicitation: {} },
      clientInfo: { name: 'mcp-gateway', version: VERSION },
    },
    write,
  );
  const parsed = InitializeResultSchema.safeParse(result);
  if (!parsed.success) throw new Error('its answer to initialize is not a valid InitializeResult');
  requests.notifyServer('notifications/initialized', undefined, write);
  return parsed.data as InitializeResult;
}
