import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { matchedRoutes } from 'hono/route';
import { auditRoutes } from '../api/audit.js';
import { clientsRoutes } from '../api/clients.js';
import { diffRoutes } from '../api/diff.js';
import { apiError, tooLargeResponse } from '../api/errors.js';
import { eventsRoutes } from '../api/events.js';
import { exportRoutes } from '../api/export.js';
import { faultsRoutes } from '../api/faults.js';
import { filterRoutes } from '../api/filter.js';
import { fixtureRoutes } from '../api/fixture.js';
import { interceptsRoutes } from '../api/intercepts.js';
import type { LiveFeed } from '../api/live-feed.js';
import { logsRoutes } from '../api/logs.js';
import { methodsRoutes } from '../api/methods.js';
import { pendingServersRoutes } from '../api/pending-servers.js';
import { replayRoutes } from '../api/replay.js';
import { secretsRoutes } from '../api/secrets.js';
import { type ServerRuntimeDeps, serverRuntimeRoutes } from '../api/server-runtime.js';
import { serversRoutes } from '../api/servers.js';
import { serversConfigRoutes } from '../api/servers-config.js';
import { sessionsRoutes } from '../api/sessions.js';
import { statsRoutes } from '../api/stats.js';
import { statusRoutes } from '../api/status.js';
import { tokensRoutes } from '../api/tokens.js';
import { toolChangesRoutes } from '../api/tool-changes.js';
import type { AuditTrail } from '../audit/audit-trail.js';
import { restAudit, sourceAddress } from '../audit/rest-audit.js';
import type { OidcSignIn } from '../auth/oidc-sign-in.js';
import { asPrincipal, requestScope } from '../auth/request-principal.js';
import { requireRole } from '../auth/roles.js';
import { routeRight } from '../auth/route-rights.js';
import { scopedReads, scopedStore } from '../auth/scoped-reads.js';
import { scopedRegistry } from '../auth/scoped-registry.js';
import type { TokenStore } from '../auth/token-store.js';
import type { CaptureStats } from '../capture/capture-queue.js';
import type { ServerStatusProvider } from '../core/server-status.js';
import { VERSION } from '../core/version.js';
import type { ToolChangeReads } from '../diff/tool-changes.js';
import type { FaultRules } from '../faults/rules.js';
import type { HealthMonitor } from '../health/monitor.js';
import type { RestartServer } from '../health/server-overview.js';
import { Breakpoints } from '../intercept/breakpoints.js';
import type { ApiLimits } from '../limits/api-limits.js';
import type { LimitsStatus } from '../limits/gateway-limits.js';
import { mcpRoutes } from '../mcp/route.js';
import type { ManagementSessions } from '../mcp/sessions.js';
import type { PendingServers } from '../ops/pending-servers.js';
import type { OAuthDiscovery } from '../proxy/oauth-discovery.js';
import type { RedactionPolicy } from '../redaction/policy.js';
import type { Registry } from '../registry/registry.js';
import type { ReplayLoopback } from '../replay/replay.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { LogReads } from '../store/log-reads.js';
import type { AsyncLogStore } from '../store/log-store.js';
import type { StoreSpec } from '../store/store-spec.js';
import type { PrometheusMetrics } from '../telemetry/prometheus.js';
import { AuthLimiter } from './auth-limiter.js';
import { authRequest, createAuthenticator, type Principal } from './authenticate.js';
import { bodyTypeRefusal } from './body-type.js';
import { CSRF_HEADER, csrfRefusal } from './csrf.js';
import { metricsRoutes } from './metrics-route.js';
import { uiRoutes } from './ui-routes.js';
import { UiSessions } from './ui-session.js';

/** JSON bodies of the REST API; imports stream and have their own, larger limit. */
const API_BODY_LIMIT = 1024 * 1024;
const IMPORT_PATH = '/api/logs/import';

export interface HonoAppDeps extends Omit<ServerRuntimeDeps, 'registry'> {
  registry: Registry;
  /** What mcp.json refers to as `${secret:NAME}`. */
  secrets: SecretStore;
  /** stdio launches awaiting the owner's approval. */
  pending: PendingServers;
  /** Sessions of the management MCP server (the gateway ends them when it stops). */
  mcpSessions: ManagementSessions;
  store: AsyncLogStore;
  /** Which store `store` is (/api/status names it, any password masked). */
  storeSpec?: StoreSpec;
  /** This gateway's name among those sharing a store (`--instance`), shown in /api/status. */
  instance?: string;
  /** The store's heavy reads, answered off the proxy's thread. */
  reads: LogReads;
  /** Servers' last known tool lists and their changes (tool-list drift). */
  toolLists: ToolChangeReads;
  /** Fault injection rules the proxy applies (faults/rules.ts). */
  faults: FaultRules;
  health: HealthMonitor;
  liveFeed: LiveFeed;
  /** Process states of servers run by the gateway (stdio), asked in turn. */
  statusProviders: readonly ServerStatusProvider[];
  restartServer: RestartServer;
  maxImportBytes: number;
  /** What imported records are redacted with: the capture policy in effect. */
  redaction?: () => RedactionPolicy;
  captureStats: () => CaptureStats;
  oauth: OAuthDiscovery;
  checkToken: (candidate: string | null) => boolean;
  /** Named tokens with roles (`mcp-gateway token create`), besides the owner's. */
  tokens: TokenStore;
  /** Where control-plane changes are recorded. */
  audit: AuditTrail;
  /** OpenID Connect sign-in for the web UI (`--oidc-issuer`), or null. */
  oidc?: OidcSignIn | null;
  /** Milliseconds a web UI session may sit unused (`--ui-idle-timeout`). */
  uiIdleTimeoutMs?: number;
  /** The web UI's sessions, when shared with the proxy's --proxy-auth check (the playground); else its own. */
  uiSessions?: UiSessions;
  /** Request rates per token and per address on /api and /gateway/mcp; absent, none. */
  apiLimits?: ApiLimits;
  /** Limits in effect and refusals so far, for GET /api/status. */
  limits?: () => LimitsStatus;
  proxyUrl: (name: string) => string;
  /** How replays reach the gateway's own proxy (its certificate, the --proxy-auth token) and see their capture. */
  replay: ReplayLoopback;
  /** 'https' when the gateway serves TLS itself: OAuth metadata URLs and cookies follow it. */
  scheme?: 'http' | 'https';
  /** --proxy-auth is on (the status says so, for the UI's client configurations). */
  proxyAuth?: boolean;
  /** Wrong-token counting shared with the proxy's --proxy-auth check; one of its own when absent. */
  limiter?: AuthLimiter;
  startedAt: number;
  log: (message: string) => void;
  /** Breakpoints on messages in flight (intercept/breakpoints.ts); absent, /api/intercepts is not served. */
  breakpoints?: Breakpoints;
  /** Prometheus /metrics (docs/metrics.md); absent, no such route. */
  metrics?: PrometheusMetrics;
}

type AppEnv = { Variables: { principal: Principal } };

/** True when a route (not only middleware, which Hono lists as ALL) answers this request. */
function hasHandler(c: Context): boolean {
  return matchedRoutes(c).some((route) => route.method !== 'ALL');
}

/**
 * Everything except the proxy's hot path: OAuth discovery for proxied servers, the REST API and the UI.
 * Host/Origin checks have already run (see http-server.ts) by the time a request gets here.
 */
export function createHonoApp(deps: HonoAppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const sessions =
    deps.uiSessions ??
    new UiSessions(deps.uiIdleTimeoutMs === undefined ? {} : { idleMs: deps.uiIdleTimeoutMs });
  const limiter = deps.limiter ?? new AuthLimiter({ log: deps.log, audit: deps.audit });
  const scheme = deps.scheme ?? 'http';
  // Nothing is held unless the gateway's stage runs these; an app built alone still serves the contract.
  const breakpoints = deps.breakpoints ?? new Breakpoints();
  const authenticator = createAuthenticator({
    checkToken: deps.checkToken,
    lookupToken: (candidate) => deps.tokens.lookup(candidate),
    stillCurrent: (identity) => deps.tokens.current(identity),
    sessions,
    limiter,
  });
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
    `${scheme}://${c.req.header('host')}`;
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

  // The management MCP server checks the same token itself, answering refusals in JSON-RPC.
  const onDeleted = (deleted: number) => deps.liveFeed.broadcast({ type: 'records-deleted', deleted });
  const overview = {
    registry: deps.registry,
    health: deps.health,
    store: deps.store,
    statusProviders: deps.statusProviders,
    proxyUrl: deps.proxyUrl,
  };
  const mcpBodyLimit = bodyLimit({
    maxSize: API_BODY_LIMIT,
    onError: (c) => tooLargeResponse(c, API_BODY_LIMIT, true),
  });
  for (const path of ['/gateway/mcp', '/g/mcp']) app.use(path, mcpBodyLimit);
  app.route(
    '/',
    mcpRoutes(
      {
        ...overview,
        restartServer: deps.restartServer,
        reads: deps.reads,
        toolLists: deps.toolLists,
        onDeleted,
        pending: deps.pending,
        audit: deps.audit,
        breakpoints,
        faults: deps.faults,
        replay: deps.replay,
        authenticate: (c) => {
          const request = authRequest(c);
          deps.apiLimits?.checkAddress(request.address);
          const principal = authenticator.authenticate(request, { sessions: false });
          deps.apiLimits?.checkToken(principal);
          return principal;
        },
        sourceOf: (c) => sourceAddress(authRequest(c).address),
        stillValid: (principal) => authenticator.stillValid(principal as Principal),
      },
      deps.mcpSessions,
    ),
  );

  const apiBodyLimit = bodyLimit({
    maxSize: API_BODY_LIMIT,
    onError: (c) => tooLargeResponse(c, API_BODY_LIMIT),
  });
  // Wraps the guards below, so that acts they refuse (403) are audited too, with the principal they set.
  app.use(
    '/api/*',
    restAudit(deps.audit, (c) => authRequest(c).address),
  );
  // The API's guards, in order: the address's request rate (429), who is asking (401, 429), their token's
  // request rate (429), whether the gateway's own page sent a cookie change (403), whether their role allows
  // the route (403, auth/route-rights.ts), whether the body is JSON (415), and how large it is (413). The
  // rest of the request runs as the principal, whose server scope the scoped store, reads and registry
  // below apply to every query.
  app.use('/api/*', async function apiGuard(c, next) {
    const request = authRequest(c);
    deps.apiLimits?.checkAddress(request.address);
    const principal = authenticator.authenticate(request);
    deps.apiLimits?.checkToken(principal);
    const refusal =
      csrfRefusal(principal, c.req.method, c.req.header(CSRF_HEADER), sessions) ??
      bodyTypeRefusal({
        method: c.req.method,
        path: c.req.path,
        contentType: c.req.header('content-type'),
        contentLength: c.req.header('content-length'),
        transferEncoding: c.req.header('transfer-encoding'),
      });
    // Set before the checks below, so that the audit (restAudit, above) names who was refused.
    c.set('principal', principal);
    if (refusal) throw refusal;
    const right = routeRight(c.req.method, c.req.path);
    if (right) requireRole(principal, right.role, right.what);
    // A route the table forgot needs admin until it is listed (fail closed); an unknown path stays a 404.
    else if (hasHandler(c)) requireRole(principal, 'admin', `${c.req.method} ${c.req.path}`);
    return asPrincipal(principal, () => (c.req.path === IMPORT_PATH ? next() : apiBodyLimit(c, next)));
  });
  const registry = scopedRegistry(deps.registry, requestScope);
  const store = scopedStore(deps.store, requestScope);
  const reads = scopedReads(deps.reads, requestScope);
  const scoped = { ...deps, registry, store, reads };
  const scopedOverview = { ...overview, registry, store };
  app.get('/api/session', (c) => {
    const principal = c.get('principal');
    const csrfToken = principal.via === 'ui-session' ? sessions.csrfToken(principal.sessionId) : null;
    return c.json(
      {
        via: principal.via,
        csrfToken,
        actor: principal.actor,
        role: principal.role,
        servers: principal.servers,
        expiresAt: principal.expiresAt,
      },
      200,
      { 'cache-control': 'no-store' },
    );
  });
  // Order matters where paths overlap: /api/servers/config and /pending before /api/servers/:name, and
  // /api/logs/export|import before /api/logs/:id.
  app.route('/api/servers/config', serversConfigRoutes({ registry, proxyUrl: deps.proxyUrl }));
  app.route('/api/servers/pending', pendingServersRoutes({ ...scoped, scope: requestScope }));
  deps.pending.onChange(() =>
    deps.liveFeed.broadcast({ type: 'approvals-changed', pending: deps.pending.list().map((p) => p.name) }),
  );
  app.route('/api/servers', serversRoutes({ ...scopedOverview, restartServer: deps.restartServer }));
  app.route('/api/servers', serverRuntimeRoutes(scoped));
  app.route('/api/servers', toolChangesRoutes({ toolLists: deps.toolLists, registry, scope: requestScope }));
  app.route('/api/logs', exportRoutes(store, reads, deps.maxImportBytes, deps.redaction, requestScope));
  app.route('/api/logs', replayRoutes({ ...deps.replay, store, proxyUrl: deps.proxyUrl }));
  app.route('/api/logs', logsRoutes(store, reads, onDeleted));
  app.route('/api/sessions', fixtureRoutes(reads));
  app.route('/api/sessions', sessionsRoutes(reads));
  app.route('/api/clients', clientsRoutes(store));
  app.route('/api/methods', methodsRoutes(store));
  app.route('/api/stats', statsRoutes(reads));
  app.route('/api/diff', diffRoutes(reads));
  app.route(
    '/api/events',
    eventsRoutes(deps.liveFeed, (c) => {
      const principal = (c as Context<AppEnv>).get('principal');
      return {
        scope: principal.servers,
        role: principal.role,
        stillValid: () => authenticator.stillValid(principal),
      };
    }),
  );
  app.route('/api/filter', filterRoutes(store, registry));
  app.route('/api/intercepts', interceptsRoutes(breakpoints));
  breakpoints.onEvent((event) =>
    deps.liveFeed.broadcast(
      event.type === 'held'
        ? {
            type: 'intercept-held',
            heldId: event.held.id,
            server: event.held.server,
            direction: event.held.direction,
            method: event.held.method,
          }
        : { type: 'intercept-released', heldId: event.held.id, server: event.held.server, how: event.how },
    ),
  );
  app.route('/api/status', statusRoutes({ ...scoped, scope: requestScope }));
  app.route('/api/faults', faultsRoutes(deps.faults));
  deps.faults?.onChange(() => deps.liveFeed.broadcast({ type: 'faults-changed' }));
  app.route('/api/secrets', secretsRoutes(deps.secrets));
  app.route('/api/tokens', tokensRoutes(deps));
  app.route('/api/audit', auditRoutes(deps.audit));
  // Prometheus scrapes carry the token as API clients do (401, 429) and need their row in the route
  // table: viewer (docs/metrics.md).
  app.route(
    '/metrics',
    metricsRoutes({
      metrics: deps.metrics ?? null,
      authenticate: (c) => {
        const request = authRequest(c);
        deps.apiLimits?.checkAddress(request.address);
        const principal = authenticator.authenticate(request);
        deps.apiLimits?.checkToken(principal);
        return principal;
      },
      authorize: (principal, method, path) => {
        const right = routeRight(method, path);
        requireRole(principal, right?.role ?? 'admin', right?.what ?? `${method} ${path}`);
      },
    }),
  );

  app.route(
    '/ui',
    uiRoutes({
      sessions,
      signInToken: authenticator.signInToken,
      oidc: deps.oidc ?? null,
      audit: deps.audit,
      secureCookies: scheme === 'https',
    }),
  );
  app.get('/', (c) =>
    c.text(`MCP Gateway ${VERSION}\nProxy: /s/<name>/mcp\nREST API: /api (Bearer token)\nWeb UI: /ui\n`),
  );
  return app;
}
