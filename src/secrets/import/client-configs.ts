import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** The MCP clients whose configuration `mcp-gateway import` reads. */
export const CLIENTS = ['claude-desktop', 'claude-code', 'cursor', 'vscode'] as const;
export type ClientId = (typeof CLIENTS)[number];

export const CLIENT_NAMES: Readonly<Record<ClientId, string>> = {
  'claude-desktop': 'Claude Desktop',
  'claude-code': 'Claude Code',
  cursor: 'Cursor',
  vscode: 'VS Code',
};

/** One server as the client wrote it, and the file it came from. */
export interface ClientServer {
  name: string;
  entry: Record<string, unknown>;
  source: string;
}

/** A VS Code `inputs` entry (`${input:id}` asks the user for it): becomes a secret to set by hand. */
export interface ClientInput {
  id: string;
  description: string | null;
}

export interface ClientConfig {
  client: ClientId;
  /** Files read (and those looked for but missing, for the "nothing found" message). */
  files: string[];
  servers: ClientServer[];
  inputs: ClientInput[];
}

export class ClientConfigError extends Error {
  override name = 'ClientConfigError';
}

export interface Places {
  home: string;
  cwd: string;
  platform: NodeJS.Platform;
  appData?: string | undefined;
}

/**
 * Where each client keeps its MCP servers, as each documents it: Claude Desktop's
 * claude_desktop_config.json (per platform), Claude Code's ~/.claude.json (user and per-project servers)
 * and the project's .mcp.json, Cursor's ~/.cursor/mcp.json and the project's .cursor/mcp.json, VS Code's
 * .vscode/mcp.json in the workspace.
 */
export function clientFiles(client: ClientId, places: Places): string[] {
  const { home, cwd, platform } = places;
  switch (client) {
    case 'claude-desktop':
      if (platform === 'darwin')
        return [join(home, 'Library', 'Application Support', 'Claude', 'claude_desktop_config.json')];
      if (platform === 'win32')
        return [
          join(places.appData ?? join(home, 'AppData', 'Roaming'), 'Claude', 'claude_desktop_config.json'),
        ];
      return [join(home, '.config', 'Claude', 'claude_desktop_config.json')];
    case 'claude-code':
      return [join(home, '.claude.json'), join(cwd, '.mcp.json')];
    case 'cursor':
      return [join(home, '.cursor', 'mcp.json'), join(cwd, '.cursor', 'mcp.json')];
    default:
      return [join(cwd, '.vscode', 'mcp.json')];
  }
}

export function defaultPlaces(): Places {
  return { home: homedir(), cwd: process.cwd(), platform: process.platform, appData: process.env.APPDATA };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** VS Code's mcp.json may hold comments and trailing commas (it is JSONC); strip them outside strings. */
function parseJsonc(text: string): unknown {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (inString) {
      out += char;
      if (char === '\\') out += text[++i] ?? '';
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') inString = true;
    else if (char === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    } else if (char === '/' && text[i + 1] === '*') {
      i = text.indexOf('*/', i + 2);
      if (i === -1) break;
      i++;
      continue;
    }
    out += char;
  }
  return JSON.parse(out.replace(/,(\s*[}\]])/g, '$1'));
}

function readJson(path: string): unknown | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ClientConfigError(
      `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  try {
    return parseJsonc(text);
  } catch (error) {
    throw new ClientConfigError(
      `${path} is not valid JSON (${(error as Error).message}); fix it in the client first`,
    );
  }
}

function serversOf(block: unknown, source: string): ClientServer[] {
  if (!isObject(block)) return [];
  return Object.entries(block)
    .filter((pair): pair is [string, Record<string, unknown>] => isObject(pair[1]))
    .map(([name, entry]) => ({ name, entry, source }));
}

/** VS Code: `${workspaceFolder}` is the folder holding .vscode; the gateway has no workspace of its own. */
function withWorkspace(entry: Record<string, unknown>, folder: string): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(entry).replaceAll(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: VS Code's variable, written as it is in its config
      '${workspaceFolder}',
      folder.replaceAll('\\', '\\\\').replaceAll('"', '\\"'),
    ),
  ) as Record<string, unknown>;
}

/** Reads a client's servers from `from` (one file) or from where the client keeps them. */
export function readClientConfig(client: ClientId, from: string | undefined, places: Places): ClientConfig {
  const files = from ? [resolve(places.cwd, from)] : clientFiles(client, places);
  const servers: ClientServer[] = [];
  const inputs: ClientInput[] = [];
  const read: string[] = [];
  for (const file of files) {
    const json = readJson(file);
    if (json === undefined) {
      if (from) throw new ClientConfigError(`${file} does not exist; check the path given with --from`);
      continue;
    }
    read.push(file);
    if (!isObject(json)) throw new ClientConfigError(`${file} must hold a JSON object`);
    if (client === 'vscode') {
      const folder = dirname(dirname(file));
      for (const server of serversOf(json.servers ?? json.mcpServers, file))
        servers.push({ ...server, entry: withWorkspace(server.entry, folder) });
      if (Array.isArray(json.inputs)) {
        for (const input of json.inputs) {
          if (isObject(input) && typeof input.id === 'string')
            inputs.push({
              id: input.id,
              description: typeof input.description === 'string' ? input.description : null,
            });
        }
      }
      continue;
    }
    servers.push(...serversOf(json.mcpServers, file));
    // Claude Code keeps servers added with "--scope local" per project in ~/.claude.json.
    if (client === 'claude-code' && isObject(json.projects)) {
      const project = json.projects[places.cwd];
      if (isObject(project))
        servers.push(...serversOf(project.mcpServers, `${file} (project ${places.cwd})`));
    }
  }
  return { client, files: read.length > 0 ? read : files, servers, inputs };
}
