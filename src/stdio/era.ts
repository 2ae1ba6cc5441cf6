import type { IncomingMessage } from 'node:http';
import { asObject, type JsonObject } from './messages.js';

/**
 * MCP 2026-07-28 has no initialize and no sessions: every request carries the protocol version, the
 * client's capabilities and its clientInfo in `params._meta` (Basic, "Request metadata"), and over
 * Streamable HTTP also the `MCP-Protocol-Version` header. The body decides first, as the SDK's own
 * inbound classification does; the header covers a notification without params.
 */
export const MODERN_VERSION = '2026-07-28';
export const PROTOCOL_VERSION_KEY = 'io.modelcontextprotocol/protocolVersion';
export const CLIENT_INFO_KEY = 'io.modelcontextprotocol/clientInfo';
export const CLIENT_CAPABILITIES_KEY = 'io.modelcontextprotocol/clientCapabilities';
/** Over stdio a subscription's notifications name the `subscriptions/listen` request's id here. */
export const SUBSCRIPTION_ID_KEY = 'io.modelcontextprotocol/subscriptionId';

/** The `_meta` of a message's params, or null. */
export function metaOf(message: unknown): JsonObject | null {
  return asObject(asObject(asObject(message)?.params)?._meta);
}

/** The 2026 protocol version a message claims in its `_meta`, if any. */
export function claimedVersion(message: unknown): string | undefined {
  const version = metaOf(message)?.[PROTOCOL_VERSION_KEY];
  return typeof version === 'string' ? version : undefined;
}

/** Whether an HTTP request without a session speaks the sessionless era (2026-07-28 or later). */
export function isModernRequest(req: IncomingMessage, messages: readonly unknown[]): boolean {
  for (const message of messages) {
    const version = claimedVersion(message);
    if (version !== undefined) return version >= MODERN_VERSION;
  }
  const header = req.headers['mcp-protocol-version'];
  return typeof header === 'string' && header >= MODERN_VERSION;
}

/**
 * Which 2026 client a request comes from: its clientInfo and declared capabilities. Requests of one
 * client form one conversation (one capture timeline, and in isolated mode one process).
 */
export function clientIdentity(message: unknown): {
  key: string;
  name: string;
  clientName: string | null;
  params: JsonObject;
} {
  const meta = metaOf(message) ?? {};
  const info = asObject(meta[CLIENT_INFO_KEY]);
  const capabilities = asObject(meta[CLIENT_CAPABILITIES_KEY]) ?? {};
  const name = typeof info?.name === 'string' ? info.name : 'unnamed client';
  const version = typeof info?.version === 'string' ? info.version : '';
  return {
    key: JSON.stringify([name, version, capabilities]),
    name: version ? `${name} ${version}` : name,
    clientName: typeof info?.name === 'string' ? info.name : null,
    params: { capabilities },
  };
}
