import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { unmaskEntry } from '../../api/masking.js';
import { overviewToJson } from '../../api/server-json.js';
import { GatewayError } from '../../core/errors.js';
import { serverOverviews } from '../../health/server-overview.js';
import { type ChangeOutcome, requestServerChange } from '../../ops/server-changes.js';
import { hasReferences } from '../../secrets/references.js';
import { elicitConsent, pendingText, refusalText, requesterOf, type ToolExtra } from '../consent.js';
import type { ManagementDeps } from '../deps.js';
import { serverLine } from '../render.js';
import { failure, guarded, ok } from '../results.js';
import { pendingSchema, serverSchema } from '../schemas.js';

/**
 * The first value an agent wrote that refers to a secret or an environment variable (`${secret:…}`,
 * `${VAR}`), unless it stands unchanged in the current entry. The gateway fills references in with the
 * owner's secrets and environment and sends them wherever the entry points (a URL, a header, a program's
 * arguments), so an agent that could write one could send the owner's GITHUB_TOKEN to any host. Only the
 * owner writes references: in the web UI, `mcp-gateway secret`/`import`, or mcp.json (docs/secrets.md).
 */
function referenceWrittenByAgent(
  given: Record<string, unknown>,
  current: Record<string, unknown> | undefined,
): string | null {
  const kept = (path: string[], value: string) =>
    path.reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], current) === value;
  const visit = (value: unknown, path: string[]): string | null => {
    if (typeof value === 'string') return hasReferences(value) && !kept(path, value) ? path.join('.') : null;
    if (value === null || typeof value !== 'object') return null;
    for (const [key, inner] of Object.entries(value)) {
      const found = visit(inner, [...path, key]);
      if (found) return found;
    }
    return null;
  };
  return visit(given, []);
}

function refuseAgentReferences(given: Record<string, unknown>, current?: Record<string, unknown>): void {
  const where = referenceWrittenByAgent(given, current);
  if (where) {
    throw new GatewayError(
      403,
      `${where} refers to a secret or an environment variable (\${…}): only the gateway's owner may add references, since the gateway fills them in and sends them upstream. Give the value itself, or ask the user to add the reference in the gateway's web UI or mcp.json.`,
    );
  }
}

const entryShape = {
  url: z.string().optional().describe('http: the MCP endpoint, such as http://localhost:3001/mcp'),
  headers: z
    .record(z.string(), z.string())
    .optional()
    .describe('http: headers sent upstream with every request, such as {"Authorization": "Bearer ..."}'),
  command: z.string().optional().describe('stdio: the program to run, such as npx'),
  args: z.array(z.string()).optional().describe('stdio: its arguments'),
  env: z.record(z.string(), z.string()).optional().describe('stdio: extra environment variables'),
  cwd: z.string().optional().describe('stdio: working directory'),
  timeout: z.number().int().positive().optional().describe('milliseconds to wait for an answer'),
  sessionMode: z
    .enum(['shared', 'isolated'])
    .optional()
    .describe('stdio: one process for all clients (shared) or one per session (isolated)'),
};

function defined(entry: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(entry).filter(([, value]) => value !== undefined));
}

/**
 * The type an entry means, inferred the way mcp.json entries are read (a url means http, a command
 * means stdio), so the arguments agents already use with other gateways work as they are.
 */
function withType(name: string, entry: Record<string, unknown>): Record<string, unknown> {
  if (entry.type !== undefined) return entry;
  if (entry.url !== undefined && entry.command !== undefined) {
    throw new GatewayError(
      400,
      `Server "${name}" has both a url and a command: give a url (and type "http") for a remote server, or a command (and type "stdio") for a local program.`,
    );
  }
  if (entry.url !== undefined) return { ...entry, type: 'http' };
  if (entry.command !== undefined) return { ...entry, type: 'stdio' };
  throw new GatewayError(
    400,
    `Say what server "${name}" is: a "url" (such as "http://localhost:3001/mcp") for a remote server, or a "command" (with "args") for a local program the gateway runs.`,
  );
}

/** Change results share one shape: what happened, and the server or the request awaiting approval. */
const changeOutput = {
  status: z
    .enum(['added', 'updated', 'awaiting-approval'])
    .describe('awaiting-approval: nothing changed yet; the owner must approve it in the web UI'),
  server: serverSchema.optional(),
  pending: pendingSchema.optional(),
  approveAt: z.string().optional().describe('where the owner approves it'),
};

/** add_server, update_server, remove_server, list_servers, restart_server. */
export function registerServerTools(server: McpServer, deps: ManagementDeps): void {
  const describe = async (name: string) => {
    const [overview] = await serverOverviews(deps, name);
    if (!overview) throw new GatewayError(404, `No server named "${name}". Call list_servers to see them.`);
    return overviewToJson(overview);
  };

  server.registerTool(
    'list_servers',
    {
      title: 'List servers',
      description:
        'Every MCP server registered with the gateway: type, proxy URL (what clients connect to), health (up, down, not-found, auth-required, ...), process status for stdio servers, message and error counts, last activity. Secrets in the configuration are masked.',
      inputSchema: {},
      outputSchema: { servers: z.array(serverSchema) },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async () =>
      guarded(async () => {
        const servers = (await serverOverviews(deps)).map(overviewToJson);
        const text =
          servers.length === 0
            ? 'No servers registered yet; add one with add_server.'
            : servers.map(serverLine).join('\n');
        return ok({ servers }, text);
      }),
  );

  /** Applies a change through the consent rules and words the result for the agent. */
  const change = async (
    action: 'add' | 'update',
    name: string,
    entry: Record<string, unknown>,
    extra: ToolExtra,
  ) => {
    const outcome: ChangeOutcome = await requestServerChange(
      { registry: deps.registry, pending: deps.pending },
      { name, action, entry, requestedBy: requesterOf(server, extra) },
      elicitConsent(server, extra),
    );
    if (outcome.kind === 'refused') return failure(refusalText(outcome, name));
    if (outcome.kind === 'pending') {
      const approveAt = new URL(`/ui/servers?pending=${encodeURIComponent(name)}`, deps.proxyUrl(name)).href;
      return ok(
        { status: 'awaiting-approval', pending: outcome.pending, approveAt },
        pendingText(outcome.pending, approveAt),
      );
    }
    await deps.health.check(name);
    const described = await describe(name);
    const started = outcome.launch ? `\nThe user confirmed; started: ${outcome.launch.commandLine}` : '';
    return action === 'add'
      ? ok(
          { status: 'added', server: described },
          `Added ${serverLine(described)}${started}\nPoint MCP clients at ${described.proxyUrl}.`,
        )
      : ok({ status: 'updated', server: described }, `Updated ${serverLine(described)}${started}`);
  };

  server.registerTool(
    'add_server',
    {
      title: 'Add a server',
      description:
        'Registers an MCP server with the gateway (saved to mcp.json). A remote server needs a url (and optional headers), and type "sse" marks a legacy HTTP+SSE server (2024-11-05); a local one needs a command (and optional args, env, cwd, sessionMode), which the gateway runs as a program. type ("http" or "stdio") is inferred from url or command when left out. Starting a program needs the user\'s consent: the gateway asks the user through this client (elicitation) when it can, and otherwise holds the server as awaiting approval until the owner approves it in the gateway\'s web UI. Clients then connect to the returned proxyUrl, and its traffic becomes searchable with search_records.',
      inputSchema: {
        name: z
          .string()
          .describe('lowercase letters, digits, "-" or "_"; becomes part of the proxy URL /s/<name>/mcp'),
        type: z
          .enum(['http', 'sse', 'stdio'])
          .optional()
          .describe('inferred from url or command when left out'),
        ...entryShape,
      },
      outputSchema: changeOutput,
      // Additive (a name that exists is refused), and it reaches beyond the gateway: it contacts a URL
      // or runs a program (MCP spec, "Tools: Tool Annotations").
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: true,
      },
    },
    async ({ name, ...entry }, extra) =>
      guarded(async () => {
        if (deps.registry.get(name)) {
          throw new GatewayError(
            409,
            `Server "${name}" already exists: change it with update_server, or remove_server first.`,
          );
        }
        refuseAgentReferences(defined(entry));
        return change('add', name, withType(name, defined(entry)), extra);
      }),
  );

  server.registerTool(
    'update_server',
    {
      title: 'Update a server',
      description:
        "Changes a registered server: only the fields given change. Masked values (****) sent back as they were keep the current secret. To rename, remove_server and add_server. A changed command, args, env or cwd of a stdio server needs the user's consent, as in add_server; until then the server keeps running as it was.",
      inputSchema: { name: z.string(), type: z.enum(['http', 'sse', 'stdio']).optional(), ...entryShape },
      outputSchema: changeOutput,
      // Fields given replace the current ones (destructive), the same call twice changes nothing more.
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    },
    async ({ name, ...changes }, extra) =>
      guarded(async () => {
        const current = deps.registry.get(name) as Record<string, unknown> | undefined;
        if (!current)
          throw new GatewayError(404, `No server named "${name}". Call list_servers to see them.`);
        refuseAgentReferences(defined(changes), current);
        return change('update', name, unmaskEntry({ ...current, ...defined(changes) }, current), extra);
      }),
  );

  server.registerTool(
    'remove_server',
    {
      title: 'Remove a server',
      description: 'Unregisters a server (removes it from mcp.json). Its captured traffic stays searchable.',
      inputSchema: { name: z.string() },
      outputSchema: { removed: z.string() },
      // Removing again changes nothing more; the captured traffic stays.
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    async ({ name }) =>
      guarded(() => {
        deps.registry.remove(name);
        return ok({ removed: name }, `Removed ${name}; its captured traffic is kept.`);
      }),
  );

  server.registerTool(
    'restart_server',
    {
      title: 'Restart a server',
      description:
        "Restarts a server: a stdio server's process is restarted; for an http server the gateway drops its connections and checks its health again.",
      inputSchema: { name: z.string() },
      outputSchema: { restarted: z.string(), detail: z.string(), server: serverSchema },
      // It starts only what was already approved, but it ends in-flight requests and whatever state the
      // process held, and each call does it again.
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    },
    async ({ name }) =>
      guarded(async () => {
        await describe(name);
        const detail = await deps.restartServer(name);
        const after = await describe(name);
        return ok({ restarted: name, detail, server: after }, `${detail}\n${serverLine(after)}`);
      }),
  );
}
