import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const sdk = (path: string) => pathToFileURL(require.resolve(`@modelcontextprotocol/sdk/${path}`)).href;

/**
 * A real MCP server (the SDK's McpServer over stdio) whose tools are read from TOOLS_FILE when it starts:
 * run isolated (a process per session), each session sees the file as it is then.
 */
const SERVER = `
import { readFileSync } from 'node:fs';
import { McpServer } from '${sdk('server/mcp.js')}';
import { StdioServerTransport } from '${sdk('server/stdio.js')}';
import { z } from '${pathToFileURL(require.resolve('zod')).href}';
const server = new McpServer({ name: 'drifty', version: '1.0.0' });
for (const tool of JSON.parse(readFileSync(process.env.TOOLS_FILE, 'utf8'))) {
  const shape = Object.fromEntries(tool.args.map((name) => [name, z.string()]));
  server.registerTool(tool.name, { description: tool.description, inputSchema: shape }, async () => ({
    content: [{ type: 'text', text: tool.name }],
  }));
}
await server.connect(new StdioServerTransport());
`;

export type DriftyTool = { name: string; description: string; args: string[] };

/**
 * Writes the server into `dir` and its first tools; returns its mcp.json entry (isolated: a process per
 * session, so each session lists the tools the file holds when it starts) and a way to change the tools.
 */
export function drifty(dir: string, first: DriftyTool[]) {
  const toolsFile = join(dir, 'tools.json');
  const serverFile = join(dir, 'drifty.mjs');
  writeFileSync(serverFile, SERVER);
  const setTools = (list: DriftyTool[]) => writeFileSync(toolsFile, JSON.stringify(list));
  setTools(first);
  return {
    entry: {
      type: 'stdio',
      command: process.execPath,
      args: [serverFile],
      env: { TOOLS_FILE: toolsFile },
      sessionMode: 'isolated',
    },
    setTools,
  };
}
