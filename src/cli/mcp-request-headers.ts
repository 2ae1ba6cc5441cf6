/**
 * The request metadata headers of MCP 2026-07-28 (Streamable HTTP, "Request Metadata"): a client mirrors
 * selected body fields into headers so intermediaries can route without parsing the body, and servers
 * reject a request whose headers are missing or disagree with its body (400, HeaderMismatch -32020).
 */

/** Where a 2026-07-28 request names its protocol version: the era is read from the message itself. */
const VERSION_META = 'io.modelcontextprotocol/protocolVersion';

/** "Standard Request Headers": the body field `Mcp-Name` mirrors, per method. */
const NAME_FIELD: Readonly<Record<string, 'name' | 'uri'>> = {
  'tools/call': 'name',
  'prompts/get': 'name',
  'resources/read': 'uri',
};

/** RFC 9110 section 5.1: a field name is a token (`1*tchar`). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Visible ASCII and inner spaces (RFC 9110 section 5.5); anything else is sent Base64-encoded. */
const PLAIN = /^(?:[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?)?$/;
const SENTINEL = /^=\?base64\?.*\?=$/s;

/** A tool parameter mirrored into `Mcp-Param-{header}`: its name and the `properties` path to its value. */
export interface ToolHeader {
  header: string;
  path: string[];
}

/**
 * The `x-mcp-header` annotations of a tool's inputSchema ("Custom Headers from Tool Parameters"), found by
 * following `properties` keys only: annotations anywhere else, or with an invalid name, are not mirrored.
 */
export function toolHeaders(inputSchema: unknown): ToolHeader[] {
  const found: ToolHeader[] = [];
  const walk = (schema: unknown, path: string[]) => {
    const properties = asObject(asObject(schema)?.properties);
    if (!properties) return;
    for (const [key, property] of Object.entries(properties)) {
      const header = asObject(property)?.['x-mcp-header'];
      if (typeof header === 'string' && TOKEN.test(header)) found.push({ header, path: [...path, key] });
      walk(property, [...path, key]);
    }
  };
  walk(inputSchema, []);
  const seen = new Set<string>();
  return found.filter(({ header }) => {
    const lower = header.toLowerCase();
    if (seen.has(lower)) return false;
    seen.add(lower);
    return true;
  });
}

/** "Value Encoding": plain ASCII as is; anything else (or what looks like the sentinel) as `=?base64?…?=`. */
export function encodeHeaderValue(value: string): string {
  if (PLAIN.test(value) && !SENTINEL.test(value)) return value;
  return `=?base64?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

/**
 * The headers a 2026-07-28 request carries, from its body: `MCP-Protocol-Version` (equal to the version in
 * `_meta`), `Mcp-Method`, `Mcp-Name` where the method names something, and `Mcp-Param-*` for a tool whose
 * schema asks for them. Null for messages of earlier eras (no version in `_meta`): they go as they are.
 */
export function requestHeaders(
  message: unknown,
  tools: ReadonlyMap<string, readonly ToolHeader[]>,
): Record<string, string> | null {
  const value = asObject(message);
  const method = value?.method;
  if (typeof method !== 'string') return null;
  const params = asObject(value?.params);
  const version = asObject(params?._meta)?.[VERSION_META];
  if (typeof version !== 'string') return null;
  const headers: Record<string, string> = { 'mcp-protocol-version': version, 'mcp-method': method };
  const field = NAME_FIELD[method];
  const name = field ? params?.[field] : undefined;
  if (typeof name === 'string') headers['mcp-name'] = encodeHeaderValue(name);
  if (method === 'tools/call' && typeof name === 'string') {
    const args = params?.arguments;
    for (const { header, path } of tools.get(name) ?? []) {
      const mirrored = headerValue(valueAt(args, path));
      if (mirrored !== null) headers[`mcp-param-${header.toLowerCase()}`] = encodeHeaderValue(mirrored);
    }
  }
  return headers;
}

/** "Type conversion": strings as they are, safe integers in decimal, booleans in lowercase; else no header. */
function headerValue(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return null;
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let value = root;
  for (const key of path) {
    const object = asObject(value);
    if (!object || !Object.hasOwn(object, key)) return undefined;
    value = object[key];
  }
  return value;
}

function asObject(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}
