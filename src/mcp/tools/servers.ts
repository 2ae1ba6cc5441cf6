import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { unmaskEntry } from '../../api/masking.js';
import { overviewToJson } from '../../api/server-json.js';
import { GatewayError } from '../../core/errors.js';
import { serverOverviews } from '../../health/server-overview.js';
import type { ManagementDeps } from '../deps.js';
import { serverLine } from '../render.js';
import { guarded, ok } from '../results.js';
import { serverSchema } from '../schemas.js';

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

/** add_server, update_server, remove_server, list_servers, restart_server. */
export function registerServerTools(server: McpServer, deps: ManagementDeps): void {
  const describe = (name: string) => {
    const [overview] = serverOverviews(deps, name);
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
      annotations: { readOnlyHint: true },
    },
    async () =>
      guarded(() => {
        const servers = serverOverviews(deps).map(overviewToJson);
        const text =
          servers.length === 0
            ? 'No servers registered yet; add one with add_server.'
            : servers.map(serverLine).join('\n');
        return ok({ servers }, text);
      }),
  );

  server.registerTool(
    'add_server',
    {
      title: 'Add a server',
      description:
        'Registers an MCP server with the gateway (saved to mcp.json). type "http" needs a url (and optional headers), type "sse" the same for a legacy HTTP+SSE server (2024-11-05); type "stdio" needs a command (and optional args, env, cwd, sessionMode). Clients then connect to the returned proxyUrl, and its traffic becomes searchable with search_records.',
      inputSchema: {
        name: z
          .string()
          .describe('lowercase letters, digits, "-" or "_"; becomes part of the proxy URL /s/<name>/mcp'),
        type: z.enum(['http', 'sse', 'stdio']),
        ...entryShape,
      },
      outputSchema: { server: serverSchema },
    },
    async ({ name, ...entry }) =>
      guarded(async () => {
        if (deps.registry.get(name)) {
          throw new GatewayError(
            409,
            `Server "${name}" already exists: change it with update_server, or remove_server first.`,
          );
        }
        deps.registry.add(name, defined(entry));
        await deps.health.check(name);
        const added = describe(name);
        return ok({ server: added }, `Added ${serverLine(added)}\nPoint MCP clients at ${added.proxyUrl}.`);
      }),
  );

  server.registerTool(
    'update_server',
    {
      title: 'Update a server',
      description:
        'Changes a registered server: only the fields given change. Masked values (****) sent back as they were keep the current secret. To rename, remove_server and add_server.',
      inputSchema: { name: z.string(), type: z.enum(['http', 'sse', 'stdio']).optional(), ...entryShape },
      outputSchema: { server: serverSchema },
    },
    async ({ name, ...changes }) =>
      guarded(async () => {
        const current = deps.registry.get(name) as Record<string, unknown> | undefined;
        if (!current)
          throw new GatewayError(404, `No server named "${name}". Call list_servers to see them.`);
        deps.registry.replace(name, unmaskEntry({ ...current, ...defined(changes) }, current));
        await deps.health.check(name);
        const updated = describe(name);
        return ok({ server: updated }, `Updated ${serverLine(updated)}`);
      }),
  );

  server.registerTool(
    'remove_server',
    {
      title: 'Remove a server',
      description: 'Unregisters a server (removes it from mcp.json). Its captured traffic stays searchable.',
      inputSchema: { name: z.string() },
      outputSchema: { removed: z.string() },
      annotations: { destructiveHint: true },
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
    },
    async ({ name }) =>
      guarded(async () => {
        describe(name);
        const detail = await deps.restartServer(name);
        const after = describe(name);
        return ok({ restarted: name, detail, server: after }, `${detail}\n${serverLine(after)}`);
      }),
  );
}
