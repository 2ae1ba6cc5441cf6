import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Identity } from '../auth/identity.js';
import { GatewayError, jsonRpcErrorBody, RpcErrorCode } from '../core/errors.js';
import { actorInfo } from './actor.js';
import type { ManagementDeps } from './deps.js';
import { createManagementServer } from './server.js';
import { ManagementSessions } from './sessions.js';

export interface McpRouteDeps extends ManagementDeps {
  /**
   * Who is asking: their role decides which tools they get, their scope which servers those tools see.
   * Throws a GatewayError (401 for a missing or wrong Bearer token, 429 while the address must pause).
   */
  authenticate: (c: Context) => Identity;
  /** The remote address a request came from, as the audit log names it. */
  sourceOf?: (c: Context) => string;
  /** False once the principal's token is revoked or expired: its open sessions end then. */
  stillValid?: (principal: Identity) => boolean;
}

/** How often an open session checks that its token still holds. */
const RIGHT_CHECK_MS = 1000;

/** Who is calling, handed to the tools with each request (the SDK passes it on as `extra.authInfo`). */
const ACTOR = 'mcpActor';

type McpEnv = { Variables: { [ACTOR]: AuthInfo; principal: Identity } };

/** Tool arguments are small; a larger body is refused before it is read into memory. */
const MAX_BODY_BYTES = 1024 * 1024;

function jsonRpcError(status: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(jsonRpcErrorBody(null, RpcErrorCode.GatewayFailure, message), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/**
 * `/gateway/mcp` and `/g/mcp`: the management MCP server over Streamable HTTP, guarded by the gateway
 * token. A client that sends `initialize` gets a session (`Mcp-Session-Id`), so the gateway can ask its
 * user to confirm a program before starting it (elicitation travels on the call's SSE stream); GET opens
 * the session's stream and DELETE ends it. A POST without a session id that is not `initialize` is served
 * statelessly by a fresh server answering in JSON, as plain JSON-RPC clients (curl, scripts) expect; such
 * a client cannot be asked anything, so programs it asks for wait for the owner's approval in the web UI.
 */

export function mcpRoutes(deps: McpRouteDeps, sessions = new ManagementSessions()): Hono<McpEnv> {
  const app = new Hono<McpEnv>();
  // Who opened each session: its server was made for their role and scope, so no one else may use it.
  const owners = new WeakMap<object, string>();
  const session = (id: string, principal: Identity) => {
    const transport = sessions.get(id);
    return transport && owners.get(transport) === principal.actor ? transport : undefined;
  };
  // MCP 2025-11-25, "Session Management": an unknown or expired session is a 404, and the client then
  // starts a new one with initialize.
  const unknownSession = () =>
    jsonRpcError(404, 'Unknown or expired session: send "initialize" again to start a new one.');
  for (const path of ['/gateway/mcp', '/g/mcp']) {
    app.use(path, async (c, next) => {
      try {
        c.set('principal', deps.authenticate(c));
        c.set(ACTOR, actorInfo(c.get('principal'), deps.sourceOf?.(c) ?? 'unknown'));
      } catch (error) {
        if (error instanceof GatewayError) return jsonRpcError(error.status, error.message, error.headers);
        throw error;
      }
      await next();
    });
    const limit = bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () =>
        jsonRpcError(
          413,
          `The request body is over ${MAX_BODY_BYTES / 1024 / 1024} MB; send smaller messages.`,
        ),
    });
    app.post(path, limit, async (c) => {
      const sessionId = c.req.header('mcp-session-id');
      if (sessionId) {
        const transport = session(sessionId, c.get('principal'));
        if (!transport) return unknownSession();
        return transport.handleRequest(c.req.raw, { authInfo: c.get(ACTOR) });
      }
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        return new Response(
          jsonRpcErrorBody(null, RpcErrorCode.ParseError, 'The body must be a JSON-RPC message in JSON.'),
          { status: 400, headers: { 'content-type': 'application/json' } },
        );
      }
      if (isInitializeRequest(body)) {
        const server = createManagementServer(deps, c.get('principal'));
        const canAsk = body.params.capabilities.elicitation !== undefined;
        const transport = await sessions.open(server, canAsk);
        const principal = c.get('principal');
        owners.set(transport, principal.actor);
        // A session outlives the request that authenticated it (its GET stream stays open): it ends as
        // soon as its token is revoked or expires, as the REST live feed does.
        const { stillValid } = deps;
        if (stillValid) {
          const check = setInterval(() => {
            if (!transport.sessionId) return clearInterval(check);
            if (!stillValid(principal)) {
              clearInterval(check);
              void server.close();
            }
          }, RIGHT_CHECK_MS);
          check.unref();
          const closed = transport.onclose;
          transport.onclose = () => {
            clearInterval(check);
            closed?.();
          };
        }
        const response = await transport.handleRequest(c.req.raw, {
          parsedBody: body,
          authInfo: c.get(ACTOR),
        });
        if (!transport.sessionId) void server.close();
        return response;
      }
      const server = createManagementServer(deps, c.get('principal'));
      const transport = new WebStandardStreamableHTTPServerTransport({
        sessionIdGenerator: undefined,
        enableJsonResponse: true,
      });
      await server.connect(transport);
      try {
        return await transport.handleRequest(c.req.raw, { parsedBody: body, authInfo: c.get(ACTOR) });
      } finally {
        void server.close();
      }
    });
    app.on(['GET', 'DELETE'], path, (c) => {
      const sessionId = c.req.header('mcp-session-id');
      if (!sessionId) {
        return jsonRpcError(
          405,
          'GET (a stream) and DELETE (ending a session) need an Mcp-Session-Id: send "initialize" with POST to start a session.',
          { allow: 'POST' },
        );
      }
      const transport = session(sessionId, c.get('principal'));
      return transport ? transport.handleRequest(c.req.raw, { authInfo: c.get(ACTOR) }) : unknownSession();
    });
  }
  return app;
}
