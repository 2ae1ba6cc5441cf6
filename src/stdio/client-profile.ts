import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { asObject } from './messages.js';

/**
 * Which process a shared-mode session can use. A server decides what to offer from the capabilities its
 * client declared in initialize (MCP lifecycle, "Capability Negotiation": server-everything lists
 * `trigger-sampling-request` only to clients that can sample), so sessions share a process only with
 * sessions that declared exactly the same capabilities. Roots are per-client state the server reads with
 * `roots/list` (MCP client features, "Roots") and acts on (server-filesystem narrows its allowed
 * directories to them): a client that declares roots gets a process of its own.
 */
export interface ClientProfile {
  /** The capabilities as declared, with object keys sorted: equal declarations give equal keys. */
  readonly key: string;
  readonly capabilities: ClientCapabilities;
  /** One process per session: the client declared roots. */
  readonly perSession: boolean;
}

/** The profile of a session from its initialize params (`params.capabilities`; none declared: `{}`). */
export function clientProfile(initializeParams: unknown): ClientProfile {
  const capabilities = (asObject(asObject(initializeParams)?.capabilities) ?? {}) as ClientCapabilities;
  return {
    key: canonicalJson(capabilities),
    capabilities,
    perSession: capabilities.roots !== undefined && capabilities.roots !== null,
  };
}

/** The profile of a client that declares nothing: the process a shared server starts with. */
export const BARE_PROFILE: ClientProfile = { key: '{}', capabilities: {}, perSession: false };

/** How a profile reads in status and notes: "sampling, elicitation" or "no capabilities". */
export function describeProfile(profile: ClientProfile): string {
  const names = Object.keys(profile.capabilities).sort();
  return names.length === 0 ? 'no client capabilities' : `client capabilities: ${names.join(', ')}`;
}

/** JSON with object keys sorted at every depth; bounded depth, as the input comes from a client. */
function canonicalJson(value: unknown, depth = 0): string {
  if (depth > 32) return '"…"';
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v, depth + 1)).join(',')}]`;
  const object = asObject(value);
  if (!object) return JSON.stringify(value) ?? 'null';
  const entries = Object.keys(object)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(object[key], depth + 1)}`);
  return `{${entries.join(',')}}`;
}
