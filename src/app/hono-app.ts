import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { apiError } from '../api/errors.js';
import { logsRoutes } from '../api/logs.js';
import { type ServerRuntimeDeps, serverRuntimeRoutes } from '../api/server-runtime.js';
import { serversConfigRoutes } from '../api/servers-config.js';
import { statusRoutes } from '../api/status.js';
import type { CaptureStats } from '../capture/capture-queue.js';
import { GatewayError } from '../core/errors.js';
import { VERSION } from '../core/version.js';
import type { OAuthDiscovery } from '../proxy/oauth-discovery.js';
import type { Registry } from '../registry/registry.js';
import type { LogQueries } from '../store/log-queries.js';
import { bearerToken } from './token-auth.js';
import { uiRoutes } from './ui-routes.js';
import { sessionFromCookie, UiSessions } from './ui-session.js';

export interface HonoAppDeps extends Omit<ServerRuntimeDeps, 'registry'> {
  registry: Registry;
  queries: LogQueries;
  captureStats: () => CaptureStats;
  oauth: OAuthDiscovery;
  checkToken: (candidate: string | null) => boolean;
  proxyUrl: (name: string) => string;
  startedAt: number;
  log: (message: string) => void;
}

/** The gateway token guards the REST API and the gateway's own MCP server; the UI's session cookie opens the API too. */
function requireToken(checkToken: HonoAppDeps['checkToken'], sessions: UiSessions | null): MiddlewareHandler {
  return async function tokenAuth(c, next) {
    const byCookie = sessions?.valid(sessionFromCookie(c.req.header('cookie'))) ?? false;
    if (!byCookie && !checkToken(bearerToken(c.req.header('authorization')))) {
      throw new GatewayError(
        401,
        'Missing or wrong gateway token. Send "Authorization: Bearer <token>" with the token the gateway printed at startup (or set MCP_GATEWAY_TOKEN).',
        { headers: { 'www-authenticate': 'Bearer realm="mcp-gateway"' } },
      );
    }
    await next();
  };
}

/**
 * Everything except the proxy's hot path: OAuth discovery for proxied servers, the REST API and the UI.
 * Host/Origin checks have already run (see http-server.ts) by the time a request gets here.
 */
export function createHonoApp(deps: HonoAppDeps): Hono {
  const app = new Hono();
  app.onError((error, c) => apiError(c, error, deps.log));
  app.notFound((c) =>
    c.json(
      {
        error: `Not found: ${c.req.method} ${c.req.path}. Proxy URLs look like /s/<name>/mcp; the REST API is under /api; the web UI is at /ui.`,
      },
      404,
    ),
  );

  // OAuth discovery is public by design: clients read it before they hold any token (RFC 9728, RFC 8414).
  const origin = (c: { req: { header: (name: string) => string | undefined } }) =>
    `http://${c.req.header('host')}`;
  const sendOAuth = (reply: { status: number; headers: Record<string, string>; body: string }) =>
    new Response(reply.body || null, { status: reply.status, headers: reply.headers });
  app.get('/.well-known/oauth-protected-resource/:prefix{s|servers}/:name/mcp', async (c) =>
    sendOAuth(
      await deps.oauth.protectedResource(
        c.req.param('name'),
        origin(c),
        `/${c.req.param('prefix')}/${c.req.param('name')}/mcp`,
      ),
    ),
  );
  for (const path of [
    '/.well-known/oauth-authorization-server/s/:name',
    '/.well-known/openid-configuration/s/:name',
    '/s/:name/.well-known/openid-configuration',
  ]) {
    app.get(path, async (c) =>
      sendOAuth(await deps.oauth.authorizationServer(c.req.param('name') ?? '', origin(c))),
    );
  }
  app.get('/s/:name/oauth/authorize', async (c) =>
    sendOAuth(await deps.oauth.authorize(c.req.param('name'), origin(c), new URL(c.req.url).searchParams)),
  );
  app.post(
    '/s/:name/oauth/:endpoint{token|register|revoke}',
    bodyLimit({ maxSize: 64 * 1024 }),
    async (c) => {
      const endpoint = c.req.param('endpoint') as 'token' | 'register' | 'revoke';
      const headers: Record<string, string> = {
        'content-type': c.req.header('content-type') ?? 'application/json',
      };
      const authorization = c.req.header('authorization');
      if (authorization) headers.authorization = authorization;
      return sendOAuth(
        await deps.oauth.relay(c.req.param('name'), origin(c), endpoint, await c.req.text(), headers),
      );
    },
  );

  const sessions = new UiSessions();
  app.use('/api/*', requireToken(deps.checkToken, sessions), bodyLimit({ maxSize: 1024 * 1024 }));
  app.route('/api/servers/config', serversConfigRoutes({ registry: deps.registry, proxyUrl: deps.proxyUrl }));
  app.route('/api/servers', serverRuntimeRoutes(deps));
  app.route('/api/logs', logsRoutes(deps.queries));
  app.route('/api/status', statusRoutes(deps));

  app.route('/ui', uiRoutes({ sessions, checkToken: deps.checkToken }));
  app.get('/', (c) =>
    c.text(`MCP Gateway ${VERSION}\nProxy: /s/<name>/mcp\nREST API: /api (Bearer token)\nWeb UI: /ui\n`),
  );
  return app;
}
