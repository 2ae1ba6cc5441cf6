import { z } from 'zod';
import { serverNameProblem } from '../core/server-name.js';
import { MAX_REQUESTS, parsePeriod } from '../limits/rate.js';
import { DEFAULT_REDACTION, parseRedactionBlock, type RedactionPolicy } from '../redaction/policy.js';
import { hasReferences } from '../secrets/references.js';

/**
 * Server entries in the `mcpServers` format MCP clients already use (Claude Desktop, Cursor, VS Code).
 * Unknown fields are allowed and kept in the file: a config shared with another client stays intact.
 */

const headerRecord = z.record(z.string(), z.string(), {
  error: 'must be an object of header names to string values',
});

const httpUrl = z.string().refine(
  (value) => {
    // A URL with references (`https://${HOST}/mcp`) is checked once they are filled in, at connect time.
    if (hasReferences(value)) return true;
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  },
  { error: 'must be an http:// or https:// URL, such as "http://localhost:3001/mcp"' },
);

const milliseconds = (what: string) =>
  z
    .number({ error: `${what} must be a number of milliseconds` })
    .int({ error: `${what} must be a whole number of milliseconds` })
    .positive({ error: `${what} must be above 0` })
    .max(24 * 60 * 60 * 1000, { error: `${what} must be at most one day` });

/** `{"requests": 60, "per": "1m"}`: at most that many requests in any such period (docs/rate-limits.md). */
const rateLimit = (field: string) =>
  z.strictObject(
    {
      requests: z
        .number({ error: `${field}.requests must be a number of requests, such as 60` })
        .int({ error: `${field}.requests must be a whole number` })
        .min(1, { error: `${field}.requests must be at least 1 (leave "${field}" out for no limit)` })
        .max(MAX_REQUESTS, { error: `${field}.requests must be at most ${MAX_REQUESTS}` }),
      per: z
        .string({ error: `${field}.per must be a period such as "2s", "1m" or "1h"` })
        .refine((value) => parsePeriod(value) !== null, {
          error: `${field}.per must be a period such as "2s", "1m" or "1h" (at most a day)`,
        }),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `${field} takes only "requests" and "per" (not ${issue.keys.map((key) => `"${key}"`).join(', ')}), such as {"requests": 60, "per": "1m"}`
          : `${field} must be an object such as {"requests": 60, "per": "1m"}`,
    },
  );

/** Rate limits the gateway applies to a server's requests; every server type may have them. */
const rateLimits = {
  /** All clients together. */
  rateLimit: rateLimit('rateLimit').optional(),
  /** Each client address on its own. */
  clientRateLimit: rateLimit('clientRateLimit').optional(),
};

export const httpServerSchema = z.object({
  ...rateLimits,
  type: z.literal('http'),
  url: httpUrl,
  headers: headerRecord.optional(),
  /** Time allowed to open a TCP/TLS connection to the upstream. */
  connectTimeout: milliseconds('connectTimeout').optional(),
  /** Time allowed for the upstream to start answering (response headers); streams are never cut by it. */
  timeout: milliseconds('timeout').optional(),
});

/**
 * A server speaking the HTTP+SSE transport of MCP 2024-11-05 ("HTTP with SSE"): a GET stream whose first
 * `endpoint` event names the URL to POST messages to. Clients still reach it as Streamable HTTP.
 */
export const sseServerSchema = httpServerSchema.extend({ type: z.literal('sse') });

export const stdioServerSchema = z.object({
  ...rateLimits,
  type: z.literal('stdio'),
  command: z
    .string({ error: 'command is required: the program to run' })
    .min(1, { error: 'command is empty' }),
  args: z.array(z.string(), { error: 'args must be an array of strings' }).optional(),
  env: z
    .record(z.string(), z.string(), { error: 'env must be an object of names to string values' })
    .optional(),
  cwd: z.string().optional(),
  /** Time allowed for a request to be answered before the client gets a timeout error. */
  timeout: milliseconds('timeout').optional(),
  sessionMode: z
    .enum(['shared', 'isolated'], { error: 'sessionMode must be "shared" or "isolated"' })
    .optional(),
  /** Restart a crashed process automatically (default: true in shared mode). */
  restart: z.boolean().optional(),
  /** Isolated mode: end a session's process after this long without traffic. */
  idleTimeout: milliseconds('idleTimeout').optional(),
  /** Isolated mode: most processes alive at once. */
  maxProcesses: z.number().int().positive().max(1000).optional(),
  /** Longest stdout line (one message) the gateway takes from the server, in MiB. */
  maxLineMb: z
    .number({ error: 'maxLineMb must be a number of MiB' })
    .int({ error: 'maxLineMb must be a whole number of MiB' })
    .min(1, { error: 'maxLineMb must be at least 1' })
    .max(1024, { error: 'maxLineMb must be at most 1024 (1 GiB)' })
    .optional(),
});

export type HttpServerConfig = z.infer<typeof httpServerSchema>;
export type SseServerConfig = z.infer<typeof sseServerSchema>;
export type StdioServerConfig = z.infer<typeof stdioServerSchema>;
/** Servers reached over the network: Streamable HTTP, or the legacy HTTP+SSE transport. */
export type RemoteServerConfig = HttpServerConfig | SseServerConfig;
export type ServerConfig = HttpServerConfig | SseServerConfig | StdioServerConfig;
export type ServerType = ServerConfig['type'];

/** Other clients spell the HTTP transport several ways; they all mean Streamable HTTP. */
const HTTP_TYPE_ALIASES = new Set(['http', 'streamable-http', 'streamableHttp', 'streamable_http']);

/** The legacy transport's spellings in other clients' configs. */
const SSE_TYPE_ALIASES = new Set(['sse', 'http+sse', 'legacy-sse']);

/** By convention (and in the SDK's examples) a legacy HTTP+SSE server's stream lives at `/sse`. */
function looksLikeSse(url: string): boolean {
  try {
    return new URL(url).pathname.replace(/\/+$/, '').endsWith('/sse');
  } catch {
    return false;
  }
}

/**
 * Fills in `type` the way clients do (a `url` means http, or sse when its path ends in `/sse`; a `command`
 * means stdio) and normalizes aliases.
 */
function normalizeType(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const entry = raw as Record<string, unknown>;
  if (entry.type === undefined) {
    if (typeof entry.url === 'string') return { ...entry, type: looksLikeSse(entry.url) ? 'sse' : 'http' };
    if (typeof entry.command === 'string') return { ...entry, type: 'stdio' };
    return entry;
  }
  if (typeof entry.type === 'string' && HTTP_TYPE_ALIASES.has(entry.type)) return { ...entry, type: 'http' };
  if (typeof entry.type === 'string' && SSE_TYPE_ALIASES.has(entry.type)) return { ...entry, type: 'sse' };
  return entry;
}

export type EntryResult = { ok: true; config: ServerConfig } | { ok: false; problems: string[] };

/** Validates one server entry; problems are phrased as "<field>: <what to do>". */
export function parseServerEntry(name: string, raw: unknown): EntryResult {
  const problems: string[] = [];
  const nameProblem = serverNameProblem(name);
  if (nameProblem) problems.push(nameProblem);
  const entry = normalizeType(raw);
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    return { ok: false, problems: [...problems, `server "${name}" must be an object`] };
  }
  const type = (entry as { type?: unknown }).type;
  const schema =
    type === 'http'
      ? httpServerSchema
      : type === 'sse'
        ? sseServerSchema
        : type === 'stdio'
          ? stdioServerSchema
          : null;
  if (!schema) {
    const given = type === undefined ? 'no "type", "url" or "command"' : `type ${JSON.stringify(type)}`;
    problems.push(
      `server "${name}" has ${given}: use "type": "http" with a "url" (or "sse" for a legacy HTTP+SSE server), or "type": "stdio" with a "command"`,
    );
    return { ok: false, problems };
  }
  const parsed = schema.safeParse(entry);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path.length > 0 ? issue.path.join('.') : 'entry';
      problems.push(`server "${name}" ${field}: ${issue.message}`);
    }
  }
  if (problems.length > 0 || !parsed.success) return { ok: false, problems };
  return { ok: true, config: parsed.data };
}

export interface RegistryDocument {
  /** The file's whole JSON, kept so that writes preserve what the gateway does not manage. */
  raw: Record<string, unknown>;
  /** Raw entries by name, as written in the file. */
  rawServers: Record<string, unknown>;
  servers: Map<string, ServerConfig>;
  /** The top-level `redaction` block (what capture redacts); the default policy when absent. */
  redaction: RedactionPolicy;
}

export type DocumentResult = { ok: true; document: RegistryDocument } | { ok: false; problems: string[] };

/** Parses the text of mcp.json; any problem rejects the whole file, so a half-valid file never half-applies. */
export function parseRegistryText(text: string): DocumentResult {
  if (text.trim() === '') {
    return {
      ok: true,
      document: { raw: { mcpServers: {} }, rawServers: {}, servers: new Map(), redaction: DEFAULT_REDACTION },
    };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [`not valid JSON: ${(error as Error).message}`] };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, problems: ['the file must hold a JSON object such as {"mcpServers": {}}'] };
  }
  const rawObject = raw as Record<string, unknown>;
  const rawServers = rawObject.mcpServers ?? {};
  if (typeof rawServers !== 'object' || rawServers === null || Array.isArray(rawServers)) {
    return { ok: false, problems: ['"mcpServers" must be an object of server names to server entries'] };
  }
  const servers = new Map<string, ServerConfig>();
  const problems: string[] = [];
  for (const [name, entry] of Object.entries(rawServers)) {
    const result = parseServerEntry(name, entry);
    if (result.ok) servers.set(name, result.config);
    else problems.push(...result.problems);
  }
  const redaction = parseRedactionBlock(rawObject.redaction);
  if (!redaction.ok) problems.push(...redaction.problems);
  if (problems.length > 0 || !redaction.ok) return { ok: false, problems };
  return {
    ok: true,
    document: {
      raw: rawObject,
      rawServers: rawServers as Record<string, unknown>,
      servers,
      redaction: redaction.policy,
    },
  };
}
