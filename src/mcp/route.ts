import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { type Context, Hono } from 'hono';
import { GatewayError, jsonRpcErrorBody, RpcErrorCode } from '../core/errors.js';
import type { ManagementDeps } from './deps.js';
import { createManagementServer } from './server.js';

export interface McpRouteDeps extends ManagementDeps {
  /** Throws a GatewayError (401 for a missing or wrong Bearer token, 429 while the address must pause). */
  authenticate: (c: Context) => unknown;
}

function jsonRpcError(status: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(jsonRpcErrorBody(null, RpcErrorCode.GatewayFailure, message), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/**
 * `/gateway/mcp` and `/g/mcp`: the management MCP server over Streamable HTTP, guarded by the gateway
 * token. Stateless (MCP Streamable HTTP without session management): every POST gets a fresh server and
 * transport answering in JSON, so there is no session state to keep, expire or lose on restart. There is
 * nothing to push, so GET (a server-to-client stream) and DELETE (ending a session) answer 405, as the
 * transport specification allows.
 */
export function mcpRoutes(deps: McpRouteDeps): Hono {
  const app = new Hono();
  for (const path of ['/gateway/mcp', '/g/mcp']) {
    app.use(path, async (c, next) => {
      try {
        deps.authenticate(c);
      } catch (error) {
        if (error instanceof GatewayError) return jsonRpcError(error.status, error.message, error.headers);
        throw error;
      }
      await next();
    });
    app.post(path, async (c) => {
      const server = createManagementServer(deps);
      const transport = new WebStandardStreamableHTTPServerTransport({
        sessionIdGenerator: undefined,
        enableJsonResponse: true,
      });
      await server.connect(transport);
      try {
        return await transport.handleRequest(c.req.raw);
      } finally {
        void server.close();
      }
    });
    app.on(['GET', 'DELETE'], path, () =>
      jsonRpcError(405, 'This endpoint is stateless: send JSON-RPC with POST.', { allow: 'POST' }),
    );
  }
  return app;
}
