/**
 * Ready-to-paste configurations that point MCP clients at a server through this gateway: the clients
 * that speak Streamable HTTP get the proxy URL; Claude Desktop, which only launches commands, gets
 * `mcp-gateway connect` (or `wrap` for a stdio server). The forms follow the README's.
 */

export interface ClientConfig {
  id: string;
  label: string;
  /** Where it goes. */
  where: string;
  text: string;
  note?: string;
}

export interface ConfigTarget {
  name: string;
  type: 'http' | 'sse' | 'stdio';
  proxyUrl: string;
  /** The registry entry as the API shows it (secret values masked). */
  config: Record<string, unknown>;
}

const DEFAULT_ORIGIN = 'http://localhost:3333';

/** Under --proxy-auth (docs/tls.md): the header, and what the user puts in it. */
const PROXY_TOKEN_HEADER = 'X-MCP-Gateway-Token';
const TOKEN_PLACEHOLDER = '<gateway token>';
const TOKEN_NOTE =
  'This gateway runs with --proxy-auth: put a gateway token in place of <gateway token> (the owner token, or a named token for this server).';
const DEFAULT_STORAGE = /\/\.mcp-gateway\/mcp\.json$/;

const json = (value: unknown) => JSON.stringify(value, null, 2);

/** How `mcp-gateway connect` finds this gateway: nothing for the default, --port or --url otherwise. */
export function connectArgs(name: string, proxyUrl: string): string[] {
  const url = new URL(proxyUrl);
  if (url.origin === DEFAULT_ORIGIN) return ['connect', name];
  // --port means plain http on localhost; a gateway with TLS is named by its https origin.
  if (url.protocol === 'https:') return ['connect', name, '--url', url.origin];
  if (url.hostname === 'localhost' || url.hostname === '127.0.0.1')
    return ['connect', name, '--port', url.port || '80'];
  return ['connect', name, '--url', url.origin];
}

/** Masked secrets (****abcd) cannot be pasted: they become placeholders to fill in. */
function unmaskedEnv(env: unknown): Record<string, string> | undefined {
  if (typeof env !== 'object' || env === null || Object.keys(env).length === 0) return undefined;
  return Object.fromEntries(
    Object.entries(env as Record<string, unknown>).map(([key, value]) => [
      key,
      String(value).startsWith('****') ? `<your ${key}>` : String(value),
    ]),
  );
}

function wrapConfig(target: ConfigTarget, registryPath: string | null, command: string): ClientConfig | null {
  const { command: serverCommand, args, env } = target.config;
  if (target.type !== 'stdio' || typeof serverCommand !== 'string') return null;
  const storage =
    registryPath && !DEFAULT_STORAGE.test(registryPath)
      ? ['--storage-dir', registryPath.replace(/\/mcp\.json$/, '')]
      : [];
  const wrapped = {
    command,
    args: [
      'wrap',
      '--name',
      target.name,
      ...storage,
      '--',
      serverCommand,
      ...(Array.isArray(args) ? args.map(String) : []),
    ],
    ...(unmaskedEnv(env) ? { env: unmaskedEnv(env) } : {}),
  };
  return {
    id: 'claude-desktop-wrap',
    label: 'Claude Desktop (wrap)',
    where: 'claude_desktop_config.json',
    text: json({ mcpServers: { [target.name]: wrapped } }),
    note: 'Claude Desktop runs its own copy of the server through mcp-gateway wrap, which records every message into the gateway storage, with or without the gateway running.',
  };
}

/**
 * `command` runs the gateway's CLI: the gateway says `mcp-gateway` only when that is on its PATH, else the
 * absolute path of its bin script (a checkout puts nothing on PATH), so snippets work as pasted.
 */
export function clientConfigs(
  target: ConfigTarget,
  registryPath: string | null = null,
  command = 'mcp-gateway',
  proxyAuth = false,
): ClientConfig[] {
  const { name, proxyUrl } = target;
  // --proxy-auth: the gateway token rides in its own header, beside the server's own Authorization.
  const headers = proxyAuth ? { headers: { [PROXY_TOKEN_HEADER]: TOKEN_PLACEHOLDER } } : {};
  const tokenNote = proxyAuth ? ` ${TOKEN_NOTE}` : '';
  const configs: (ClientConfig | null)[] = [
    {
      id: 'claude-code',
      label: 'Claude Code',
      where: 'a terminal',
      text: `claude mcp add --transport http ${name} ${proxyUrl}${proxyAuth ? ` --header "${PROXY_TOKEN_HEADER}: ${TOKEN_PLACEHOLDER}"` : ''}`,
      note: `Add --scope user to have it in every project.${tokenNote}`,
    },
    {
      id: 'cursor',
      label: 'Cursor',
      where: '.cursor/mcp.json (or ~/.cursor/mcp.json)',
      text: json({ mcpServers: { [name]: { url: proxyUrl, ...headers } } }),
      ...(proxyAuth ? { note: TOKEN_NOTE } : {}),
    },
    {
      id: 'vscode',
      label: 'VS Code',
      where: '.vscode/mcp.json',
      text: json({ servers: { [name]: { type: 'http', url: proxyUrl, ...headers } } }),
      ...(proxyAuth ? { note: TOKEN_NOTE } : {}),
    },
    {
      id: 'claude-desktop',
      label: 'Claude Desktop',
      where: 'claude_desktop_config.json',
      text: json({
        mcpServers: {
          [name]: {
            command,
            args: connectArgs(name, proxyUrl),
            ...(proxyAuth ? { env: { MCP_GATEWAY_TOKEN: TOKEN_PLACEHOLDER } } : {}),
          },
        },
      }),
      note: `Claude Desktop only launches commands: mcp-gateway connect relays to this gateway, which must be running.${tokenNote}`,
    },
    wrapConfig(target, registryPath, command),
    {
      id: 'typescript',
      label: 'TypeScript SDK',
      where: 'your code',
      text: [
        "import { Client } from '@modelcontextprotocol/sdk/client/index.js';",
        "import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';",
        '',
        "const client = new Client({ name: 'my-app', version: '1.0.0' });",
        proxyAuth
          ? `await client.connect(new StreamableHTTPClientTransport(new URL('${proxyUrl}'), { requestInit: { headers: { '${PROXY_TOKEN_HEADER}': '${TOKEN_PLACEHOLDER}' } } }));`
          : `await client.connect(new StreamableHTTPClientTransport(new URL('${proxyUrl}')));`,
        'console.log(await client.listTools());',
      ].join('\n'),
    },
    {
      id: 'python',
      label: 'Python SDK',
      where: 'your code',
      text: [
        'from mcp import ClientSession',
        'from mcp.client.streamable_http import streamablehttp_client',
        '',
        proxyAuth
          ? `async with streamablehttp_client("${proxyUrl}", headers={"${PROXY_TOKEN_HEADER}": "${TOKEN_PLACEHOLDER}"}) as (read, write, _):`
          : `async with streamablehttp_client("${proxyUrl}") as (read, write, _):`,
        '    async with ClientSession(read, write) as session:',
        '        await session.initialize()',
        '        print(await session.list_tools())',
      ].join('\n'),
    },
  ];
  return configs.filter((config): config is ClientConfig => config !== null);
}
