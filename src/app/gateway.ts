import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, Server as HttpsServer } from 'node:https';
import { join } from 'node:path';
import { LiveFeed } from '../api/live-feed.js';
import { auditPath } from '../audit/audit-store.js';
import { auditFileEdit } from '../audit/file-edits.js';
import { SqliteAuditTrail } from '../audit/sqlite-audit-trail.js';
import { OidcSignIn } from '../auth/oidc-sign-in.js';
import { TokenStore } from '../auth/token-store.js';
import { CaptureQueue, type CaptureStats } from '../capture/capture-queue.js';
import type { ToolListChanged } from '../capture/listeners/tool-drift.js';
import { capturePolicy, redactionLine } from '../capture/policy.js';
import { defaultInstance } from '../config/instance.js';
import type { ResolvedConfig } from '../config/options.js';
import { GatewayError } from '../core/errors.js';
import type { ServerStatus, ServerStatusProvider } from '../core/server-status.js';
import { faultHook } from '../faults/fault-hook.js';
import { FaultRules } from '../faults/rules.js';
import { type RestartServer, statusOf } from '../health/server-overview.js';
import { Breakpoints } from '../intercept/breakpoints.js';
import { MessageStage } from '../intercept/stage.js';
import { createGatewayLimits } from '../limits/gateway-limits.js';
import { ManagementSessions } from '../mcp/sessions.js';
import { PendingServers } from '../ops/pending-servers.js';
import { HttpProxy, type UpstreamOutcome } from '../proxy/http-proxy.js';
import { OAuthDiscovery } from '../proxy/oauth-discovery.js';
import { OAuthMemory } from '../proxy/oauth-memory.js';
import { proxyPath } from '../proxy/route.js';
import { UpstreamPools } from '../proxy/upstream.js';
import { maskedCommandLine } from '../redaction/config-masking.js';
import { Registry, type RegistryChange } from '../registry/registry.js';
import { KnownSecrets } from '../secrets/known-secrets.js';
import type { ReferenceSources } from '../secrets/references.js';
import { resolveServerConfig } from '../secrets/resolve-config.js';
import { SecretStore } from '../secrets/secret-store.js';
import { StdioServers } from '../stdio/stdio-servers.js';
import { GatewayLockedError, lockStorageDir } from '../storage/gateway-lock.js';
import { prepareStorageDir, StorageDirError, type StoragePaths } from '../storage/storage-dir.js';
import { asyncStore } from '../store/async-store.js';
import { StoreKeyError } from '../store/cipher.js';
import { type Database, openDatabaseOrStartFresh } from '../store/database.js';
import { ReaderPool } from '../store/reader-pool.js';
import { sqliteLogStore } from '../store/sqlite-log-store.js';
import { describeStore } from '../store/store-spec.js';
import { sqliteToolLists } from '../store/tool-lists.js';
import { upstreamPeers } from '../telemetry/peers.js';
import { PrometheusMetrics } from '../telemetry/prometheus.js';
import { TlsError } from '../tls/certificate.js';
import { watchCertificateFiles } from '../tls/certificate-watch.js';
import { AuthLimiter } from './auth-limiter.js';
import { createAuthenticator } from './authenticate.js';
import { createHonoApp } from './hono-app.js';
import { createHostGuard } from './host-guard.js';
import { createRequestListener } from './http-server.js';
import { startInsight } from './insight.js';
import { listen, StartupError } from './listen.js';
import { type MetricsListener, startMetricsListener } from './metrics-listener.js';
import { metricsSnapshot } from './metrics-snapshot.js';
import { misconfigurationStatus } from './misconfigurations.js';
import { misconfiguredServer } from './misconfigured-server.js';
import { createOwnOriginCheck } from './own-origin.js';
import { answerPlainHttp } from './plain-http-on-tls.js';
import { openPostgresStore, type PostgresStore, PostgresStoreError } from './postgres-store.js';
import { createProxyAuth } from './proxy-auth.js';
import { createUiSessionProxyCheck } from './proxy-ui-session.js';
import { type GatewayTls, selfFetch, servingTls } from './serving-tls.js';
import { createTokenCheck } from './token-auth.js';
import { UiSessions } from './ui-session.js';
import { createUpstreamResolver } from './upstream-resolver.js';

export interface GatewayIo {
  /** Progress a user wants to see (servers added, status changes). */
  info: (message: string) => void;
  /** Something is wrong or risky. */
  warn: (message: string) => void;
}

export interface ShutdownSummary {
  capture: CaptureStats;
  uptimeMs: number;
}

export interface RunningGateway {
  readonly config: ResolvedConfig;
  readonly paths: StoragePaths;
  readonly port: number;
  /** Base URL clients use, e.g. http://localhost:3333 (https://… with TLS). */
  readonly url: string;
  /** The certificate served, with TLS; null for plain HTTP. */
  readonly tls: GatewayTls | null;
  readonly registry: Registry;
  /** This gateway's name on the records it captures (`--instance`, else `<hostname>:<port>`). */
  readonly instance: string;
  captureStats(): CaptureStats;
  /** Resolves once everything captured so far is in the database. */
  flushCapture(): Promise<void>;
  stop(): Promise<ShutdownSummary>;
  /** The port of the loopback-only /metrics listener (`--metrics-port`), or null. */
  readonly metricsPort: number | null;
}

/** Imports stream record by record; this only bounds how much one request may add. */
const MAX_IMPORT_BYTES = 4 * 1024 * 1024 * 1024;

export { StartupError } from './listen.js';

const SHUTDOWN_GRACE_MS = 10_000;

/** Storage problems at startup are settings to change (exit 2); another gateway on the dir is not. */
function startupStep<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof StorageDirError) throw new StartupError(error.message, 2);
    if (error instanceof GatewayLockedError) throw new StartupError(error.message);
    throw new StartupError((error as Error).message);
  }
}

type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The server's handler while the rest of the gateway starts behind a bound port: requests that arrive
 * in that moment wait for it, then go through as usual (a failed start answers them 503).
 */
function heldUntilReady(): { handle: RequestHandler; ready(handler: RequestHandler | null): void } {
  let release: (handler: RequestHandler | null) => void = () => {};
  const handler = new Promise<RequestHandler | null>((resolve) => {
    release = resolve;
  });
  return {
    handle(req, res) {
      void handler.then((h) => {
        if (h) return h(req, res);
        res.writeHead(503, { 'content-type': 'application/json', connection: 'close' });
        res.end(JSON.stringify({ error: 'The gateway failed to start; see its terminal output.' }));
      });
    },
    ready: release,
  };
}

/** Composes the gateway: storage, registry, capture, proxy, app; and takes it down again in order. */
export async function startGateway(config: ResolvedConfig, io: GatewayIo): Promise<RunningGateway> {
  const startedAt = Date.now();
  const spec = config.store;
  const paths = startupStep(() =>
    prepareStorageDir(config.storageDir, io.warn, { database: spec.kind === 'sqlite' }),
  );
  const lock = startupStep(() => lockStorageDir(paths.dir, io.warn));
  // A certificate that cannot serve is a setting to fix (exit 2), found before the port is bound.
  let tls: GatewayTls | null;
  try {
    tls = await servingTls(config, paths.dir, io.warn);
  } catch (error) {
    lock.release();
    if (error instanceof TlsError) throw new StartupError(error.message, 2);
    throw error;
  }
  // Bind before anything runs or records: a port in use or a bad --host fails here, before any stdio
  // server starts or any record is written. Requests that arrive meanwhile wait until it is ready.
  const held = heldUntilReady();
  let handle: RequestHandler = held.handle;
  const listener = (req: IncomingMessage, res: ServerResponse) => handle(req, res);
  const server = tls ? createHttpsServer({ cert: tls.cert, key: tls.key }, listener) : createServer(listener);
  const limits = createGatewayLimits(config.limits);
  limits.connections?.attach(server);
  let port: number;
  try {
    port = await listen(server, config.port, config.host);
  } catch (error) {
    lock.release();
    throw error;
  }
  const scheme = tls ? 'https' : 'http';
  const baseUrl = `${scheme}://localhost:${port}`;
  if (server instanceof HttpsServer) answerPlainHttp(server, () => baseUrl);
  // The owner's certificate files are read again when they change (a renewal): new connections get the
  // renewed pair, open ones keep theirs, and a pair that cannot serve leaves the current one in service.
  let servingCert = tls?.cert ?? '';
  const certificateWatch =
    tls && config.tls.kind === 'files' && server instanceof HttpsServer
      ? watchCertificateFiles(config.tls.cert, config.tls.key, tls, {
          renewed: (renewed) => {
            server.setSecureContext({ cert: renewed.cert, key: renewed.key });
            servingCert = renewed.cert;
            io.info(
              `TLS certificate renewed: serving ${tls.certPath}, valid until ${renewed.validTo.toISOString()} (SHA-256 ${renewed.fingerprint}), to new connections`,
            );
          },
          refused: (message) => io.warn(`the TLS certificate files changed, but ${message}`),
        })
      : null;
  lock.listening(port, baseUrl, config.token);
  // Named once the port is known: two gateways on one machine differ by it.
  const instance = config.instance ?? defaultInstance(port);
  // SQLite in the storage dir, or a PostgreSQL store shared with other gateways (nothing in logs.db then).
  let db: Database | null = null;
  let shared: PostgresStore | null = null;
  try {
    if (spec.kind === 'sqlite') {
      db = openDatabaseOrStartFresh(spec.path, { migrate: true, key: spec.key ?? null }, io.warn);
    } else {
      shared = await openPostgresStore(spec.url, { instance, retention: config.retention, warn: io.warn });
    }
  } catch (error) {
    held.ready(null);
    server.close();
    lock.release();
    // A store that cannot be reached or prepared is a setting to fix (exit 2); the message names it,
    // its password left out, and what to check.
    if (error instanceof PostgresStoreError) throw new StartupError(error.message, 2);
    // A missing or wrong key is a setting to fix (exit 2); its message already names the store and the fix.
    if (error instanceof StoreKeyError) throw new StartupError(error.message, 2);
    // openDatabase names the file itself when SQLite cannot open it at all.
    const reason = (error as Error).message;
    const location = describeStore(spec).location;
    const what = reason.startsWith('cannot open') ? reason : `cannot open ${location}: ${reason}`;
    throw new StartupError(`${what}. Move the file away, or choose another --storage-dir`);
  }
  const closeStore = async () => {
    db?.close();
    await shared?.close();
  };
  // The control-plane audit log: its own file (encrypted with the store's key), which traffic retention,
  // `clear` and imports never touch.
  let audit: SqliteAuditTrail;
  try {
    audit = SqliteAuditTrail.open(auditPath(paths.dir), config.storeKey, io.warn);
  } catch (error) {
    held.ready(null);
    server.close();
    await closeStore();
    lock.release();
    if (error instanceof StoreKeyError) throw new StartupError(error.message, 2);
    throw new StartupError(
      `cannot open the audit log ${auditPath(paths.dir)}: ${(error as Error).message}. Move the file away, or choose another --storage-dir`,
    );
  }
  const registry = new Registry(paths.registry, io.warn, undefined, io.info);
  // /metrics reads what the gateway keeps anyway; the sources are filled in as the parts below start.
  let serverHealth: (name: string) => string = () => 'unknown';
  let processStatus: (name: string) => ServerStatus | undefined = () => undefined;
  const metrics = new PrometheusMetrics(
    metricsSnapshot({
      capture: () => capture.stats(),
      servers: () => registry.servers,
      health: (name) => serverHealth(name),
      process: (name) => processStatus(name),
    }),
    { spans: config.otlp !== null },
  );
  // Credentials the references in mcp.json are filled in with: capture never stores them (known-secrets.ts).
  // The capture queue exists just below; a value first seen is sent to its worker at once.
  let secretValuesChanged = () => {};
  const knownSecrets = new KnownSecrets(() => secretValuesChanged());
  const policy = () => capturePolicy(registry.redaction, config.redact, knownSecrets.list());
  // The live feed exists only later, with the app; a tool-list change is announced through it then.
  let toolListChanged: (change: ToolListChanged) => void = () => {};
  const capture = new CaptureQueue({
    store: spec,
    // The name every record it captures carries in a shared store.
    instance,
    maxMessageBytes: config.capture.maxMessageBytes,
    queueBytes: config.capture.queueBytes,
    retention: config.retention,
    policy: policy(),
    log: io.warn,
    otlp: config.otlp,
    peers: upstreamPeers(registry.servers),
    onMetrics: (delta) => metrics.add(delta),
    onToolListChanged: (change) => toolListChanged(change),
  });
  try {
    await capture.start();
    secretValuesChanged = () => capture.configure(policy());
  } catch (error) {
    held.ready(null);
    server.close();
    registry.close();
    await closeStore();
    audit.close();
    lock.release();
    throw new StartupError(
      `cannot start capture into ${describeStore(spec).location}: ${(error as Error).message}`,
    );
  }
  // On SQLite, searches, statistics, timelines and exports run on reader threads, never on the proxy's;
  // PostgreSQL answers them on its server while the event loop only awaits.
  const readers =
    db && spec.kind === 'sqlite'
      ? ReaderPool.start(spec.path, { log: io.warn, key: spec.key ?? null })
      : null;

  const pools = new UpstreamPools();
  // Fault injection rules (in memory only: faults/rules.ts says why).
  const faults = new FaultRules();
  const oauthMemory = new OAuthMemory();
  // Breakpoints and fault rules act on messages in flight here, at the proxy's choke points (SEAMS S6).
  const stage = new MessageStage();
  // A person sees a message as it was sent (breakpoints first); fault rules act on what goes on.
  const breakpoints = new Breakpoints();
  stage.use(breakpoints);
  stage.use(faultHook(faults));
  const stdio = new StdioServers({
    stage,
    sink: capture,
    maxCaptureBytes: config.capture.maxMessageBytes,
    info: io.info,
    warn: io.warn,
    // What was configured is printed, never what references were filled in with.
    shownCommand: (name) => {
      const entry = registry.get(name);
      return entry?.type === 'stdio' ? maskedCommandLine(entry.command, entry.args ?? []) : undefined;
    },
  });
  // References in mcp.json (`${VAR}`, `${secret:NAME}`) are filled in from here when a server is used.
  const secrets = new SecretStore({ storageDir: paths.dir, keyFile: config.dbKeyFile ?? undefined });
  const sources: ReferenceSources = knownSecrets.watch({
    env: (name) => process.env[name],
    secret: (name) => secrets.get(name),
  });
  const { resolve, httpUpstream, problem, resolvedServers } = createUpstreamResolver(registry, {
    localTarget: (name, server) => ({ kind: 'local', handle: stdio.handler(name, server) }),
    expand: (server) => resolveServerConfig(server, sources),
    misconfigured: (name, reason) => ({
      kind: 'local',
      handle: misconfiguredServer(name, reason, capture, config.capture.maxMessageBytes),
    }),
  });
  const oauth = new OAuthDiscovery(httpUpstream, oauthMemory);
  // Proxied traffic tells health what it saw at once; the monitor exists only later, with the app.
  let observeTraffic: (name: string, outcome: UpstreamOutcome) => void = () => {};
  const proxy = new HttpProxy({
    resolve,
    serverNames: () => registry.names(),
    pools,
    capture,
    oauth: oauthMemory,
    maxBodyBytes: config.maxBodyBytes,
    maxCaptureBytes: config.capture.maxMessageBytes,
    onUpstreamOutcome: (name, outcome) => observeTraffic(name, outcome),
    ...(tls ? { selfFetch: selfFetch(() => servingCert) } : {}),
    gate: limits.proxy,
    stage,
  });

  const proxyUrl = (name: string) => `${baseUrl}${proxyPath(name)}`;
  /** What the gateway holds for a server's upstream: pooled connections and learned OAuth metadata. */
  const forgetConnections = (name: string) => {
    proxy.forgetServer(name);
    pools.forget(name);
    oauth.forget(name);
    oauthMemory.forget(name);
  };
  // Rate limits in mcp.json apply from the next request after an edit, without touching running servers.
  limits.proxy.configure(registry.servers);
  registry.onChange((change: RegistryChange) => {
    limits.proxy.configure(registry.servers);
    if (config.otlp) capture.setPeers(upstreamPeers(registry.servers));
    if (change.redaction) {
      capture.configure(policy());
      io.info(`redaction settings changed: ${redactionLine(policy())}`);
    }
    for (const name of change.removed) forgetConnections(name);
    for (const name of change.updated) {
      proxy.forgetServer(name);
      oauth.forget(name);
      oauthMemory.forget(name);
    }
    stdio.sync(resolvedServers());
    if (change.source === 'file') auditFileEdit(audit, change);
    for (const name of change.added) io.info(`server added: ${name} → ${proxyUrl(name)}`);
    for (const name of change.updated) io.info(`server updated: ${name}`);
    for (const name of change.removed) io.info(`server removed: ${name}`);
  });
  registry.watch();
  stdio.sync(resolvedServers());

  // The main thread sees the store only through the async contract, whichever the backend.
  const store = shared ? shared.store : asyncStore(sqliteLogStore(db as Database), readers ?? undefined);
  const reads = shared ? shared.store : (readers as ReaderPool);
  // On PostgreSQL the feed follows every gateway's commits, woken by their notifications (live.ts).
  const liveFeed = new LiveFeed(store, io.warn);
  try {
    await shared?.follow(() => void liveFeed.tick());
  } catch (error) {
    io.warn(
      `live feed: cannot listen for other gateways' records (${(error as Error).message}); it polls instead`,
    );
  }
  toolListChanged = (change) => liveFeed.broadcast({ type: 'tool-changes', ...change });
  // The stdio processes the gateway runs report their own state; HTTP servers are judged by health checks.
  // A server whose references cannot be filled in says so first; nothing of it runs.
  const statusProviders: ServerStatusProvider[] = [
    misconfigurationStatus(problem, io.warn),
    (name) => stdio.status(name),
  ];
  const restartStdio: RestartServer = async (name) => {
    const status = await stdio.restart(name);
    if (!status) throw new GatewayError(409, `Server "${name}" is not running yet; try again in a moment.`);
    return `Restarting ${name}: ${status.state}${status.restarts ? ` (restart ${status.restarts})` : ''}.`;
  };
  const insight = startInsight({
    registry,
    store,
    liveFeed,
    httpUpstream,
    statusProviders,
    healthIntervalMs: config.healthIntervalMs,
    proxyUrl,
    forgetConnections,
    restartLocal: restartStdio,
    info: io.info,
    warn: io.warn,
  });
  observeTraffic = (name, outcome) => insight.health.observe(name, outcome);
  serverHealth = (name) => insight.health.report(name).state;
  processStatus = (name) => stdio.status(name);
  const mcpSessions = new ManagementSessions();
  // The provider is asked once at startup; one that cannot be reached is reported and asked again later.
  const oidc = config.oidc ? new OidcSignIn(config.oidc, { log: io.warn }) : null;
  if (oidc && (await oidc.discover())) io.info(`OpenID Connect sign-in: ${config.oidc?.issuer.href}`);
  const checkToken = createTokenCheck(config.token);
  const tokens = new TokenStore(paths.dir);
  // One count of wrong tokens per address, whether they were tried on the API or (--proxy-auth) the proxy.
  const limiter = new AuthLimiter({ log: io.warn, audit });
  // One set of web UI sessions: the API signs them in, and under --proxy-auth the proxy accepts them from
  // the gateway's own page (the playground, proxy-ui-session.ts).
  const uiSessions = new UiSessions(
    config.uiIdleTimeoutMs === undefined ? {} : { idleMs: config.uiIdleTimeoutMs },
  );
  const checkOwnOrigin = createOwnOriginCheck({
    allowedHosts: config.allowedHosts,
    port: () => port,
    scheme,
  });
  const proxyAuthenticator = createAuthenticator({
    checkToken,
    lookupToken: (candidate) => tokens.lookup(candidate),
    stillCurrent: (identity) => tokens.current(identity),
    sessions: uiSessions,
    limiter,
  });
  const proxyAuth = config.proxyAuth
    ? createProxyAuth({
        identify: proxyAuthenticator.signInToken,
        uiSession: createUiSessionProxyCheck({
          sessions: uiSessions,
          authenticator: proxyAuthenticator,
          checkOwnOrigin,
        }),
      })
    : undefined;
  const app = createHonoApp({
    registry,
    secrets,
    pending: new PendingServers(join(paths.dir, 'pending.json'), io.warn),
    mcpSessions,
    store,
    storeSpec: spec,
    instance,
    reads,
    toolLists: db ? sqliteToolLists(db) : (shared as PostgresStore).toolLists,
    faults,
    health: insight.health,
    liveFeed,
    statusProviders,
    restartServer: insight.restartServer,
    maxImportBytes: MAX_IMPORT_BYTES,
    redaction: () => policy().redaction,
    captureStats: () => capture.stats(),
    oauth,
    checkToken,
    tokens,
    limiter,
    scheme,
    proxyAuth: config.proxyAuth,
    audit,
    oidc,
    uiIdleTimeoutMs: config.uiIdleTimeoutMs,
    uiSessions,
    apiLimits: limits.api,
    limits: limits.status,
    proxyUrl,
    replay: {
      flushCapture: () => capture.flush(),
      ...(tls ? { fetch: selfFetch(() => servingCert) } : {}),
      // The loopback leg shows the proxy the owner's token; the caller's own scope was checked on the record.
      proxyToken: config.proxyAuth ? config.token : null,
    },
    startedAt,
    log: io.warn,
    serverStatus: (name) => statusOf(statusProviders, name),
    serverStderr: (name, limit) => stdio.stderr(name, limit),
    breakpoints,
    metrics,
  });
  handle = createRequestListener({
    checkHost: createHostGuard({ host: config.host, allowedHosts: config.allowedHosts }),
    checkOwnOrigin,
    proxy,
    ...(proxyAuth ? { checkProxyAuth: proxyAuth } : {}),
    refuseConnection: limits.connections
      ? (req) => limits.connections?.refusal(req.socket) ?? null
      : undefined,
    app,
    log: io.warn,
  });
  held.ready(handle);
  let metricsListener: MetricsListener | null = null;

  let stopping: Promise<ShutdownSummary> | null = null;
  const stop = (): Promise<ShutdownSummary> => {
    stopping ??= (async () => {
      // Stop taking new connections; let in-flight requests finish; close the streams that never would.
      server.close();
      certificateWatch?.stop();
      // Held messages fail rather than go on: nobody approved them (see Breakpoints.releaseAll).
      const released = breakpoints.releaseAll();
      if (released > 0) {
        io.info(
          `${released} held message(s) released with an error to their senders: the gateway is stopping`,
        );
      }
      await metricsListener?.close();
      insight.stop();
      mcpSessions.closeAll();
      server.closeIdleConnections();
      proxy.closeStreams();
      const deadline = Date.now() + SHUTDOWN_GRACE_MS;
      while (proxy.openExchanges > 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 25));
      }
      // stdio servers: sessions end (their streams close), then each process is shut down the MCP way.
      registry.close();
      await stdio.stopAll();
      server.closeAllConnections();
      await pools.closeAll();
      await capture.close();
      await readers?.close();
      await closeStore();
      audit.close();
      lock.release();
      return { capture: capture.stats(), uptimeMs: Date.now() - startedAt };
    })();
    return stopping;
  };

  if (config.metricsPort !== null) {
    try {
      metricsListener = await startMetricsListener(config.metricsPort, metrics, io.warn);
    } catch (error) {
      // A --metrics-port that cannot be bound is a setting to fix: the gateway does not run without it.
      await stop();
      throw error;
    }
  }

  return {
    config,
    paths,
    port,
    url: baseUrl,
    tls,
    registry,
    instance,
    captureStats: () => capture.stats(),
    flushCapture: () => capture.flush(),
    stop,
    metricsPort: metricsListener?.port ?? null,
  };
}
