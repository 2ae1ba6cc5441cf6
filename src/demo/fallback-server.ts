#!/usr/bin/env node
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { VERSION } from '../core/version.js';

/**
 * The demo MCP server when server-everything is not installed (an install without dev dependencies): a
 * real MCP server over stdio, built with the official SDK, with the tools the demo traffic calls.
 */
const server = new McpServer({ name: 'mcp-gateway-demo', version: VERSION });
server.registerTool(
  'echo',
  { description: 'Echoes back the input', inputSchema: { message: z.string() } },
  async ({ message }) => ({ content: [{ type: 'text', text: `Echo: ${message}` }] }),
);
server.registerTool(
  'get-sum',
  { description: 'Returns the sum of two numbers', inputSchema: { a: z.number(), b: z.number() } },
  async ({ a, b }) => ({ content: [{ type: 'text', text: `The sum of ${a} and ${b} is ${a + b}.` }] }),
);
server.registerResource(
  'about',
  'demo://about',
  { mimeType: 'text/plain', description: 'What this server is' },
  async (uri) => ({
    contents: [{ uri: uri.href, text: 'The MCP Gateway demo server. Remove it in the web UI when done.' }],
  }),
);
await server.connect(new StdioServerTransport());
