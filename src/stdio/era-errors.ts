import { GatewayError } from '../core/errors.js';
import { MODERN_VERSION } from './era.js';
import type { ProcessEra } from './handshake.js';

/** MCP 2026-07-28: the error code of a request in a protocol version the server does not speak. */
export const UNSUPPORTED_VERSION = -32022;

/** What a process speaks, as status shows it: "MCP 2025-11-25", "MCP 2026-07-28 only: …". */
export function describeEra(opened: ProcessEra): string {
  if (opened.era === 'legacy') return `MCP ${opened.result.protocolVersion}`;
  if (opened.initializeRefusal === null) return `MCP ${MODERN_VERSION}`;
  return `MCP ${MODERN_VERSION} only: it refused initialize (${opened.initializeRefusal}); MCP 2025 clients get an error saying so`;
}

/** A 2025 client's initialize, at a server that speaks only 2026-07-28. */
export function modernOnlyError(server: string): GatewayError {
  return new GatewayError(
    400,
    `stdio server "${server}" speaks only MCP ${MODERN_VERSION}: it refused the gateway's initialize and answered server/discover. Connect with a client that speaks ${MODERN_VERSION} (no initialize; protocol version, capabilities and clientInfo in each request's _meta).`,
    { rpcCode: UNSUPPORTED_VERSION },
  );
}

/** A client of a process that refused every handshake the gateway tried (it is not restarted). */
export function refusedHandshakeError(server: string, refused: string): GatewayError {
  return new GatewayError(
    400,
    `stdio server "${server}" cannot serve this client: ${refused}. Use a client that speaks what the server speaks, or fix the server, then POST /api/servers/${server}/restart.`,
    { rpcCode: UNSUPPORTED_VERSION },
  );
}
