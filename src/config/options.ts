import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { isLoopbackHost } from '../core/loopback-host.js';
import { DEFAULT_API_LIMITS } from '../limits/api-limits.js';
import { DEFAULT_MAX_CONNECTIONS_PER_CLIENT } from '../limits/connection-caps.js';
import type { LimitSettings } from '../limits/gateway-limits.js';
import { parseRate, type Rate } from '../limits/rate.js';
import { DEFAULT_MAX_SESSIONS_PER_CLIENT } from '../limits/session-caps.js';
import { storagePaths } from '../storage/storage-dir.js';
import { type KeychainLookup, readStoreKey } from '../storage/store-key.js';
import { type StoreKey, StoreKeyError } from '../store/cipher.js';
import { resolveStoreSpec, type StoreSpec, StoreSpecError } from '../store/store-spec.js';
import { type OtlpSettings, resolveOtlp, TelemetrySettingError } from '../telemetry/settings.js';
import { parseInstance } from './instance.js';
import { type OidcConfig, type OidcUserOptions, resolveOidc, resolveUiIdleTimeout } from './oidc-options.js';

/** Everything a user may set (flags, environment); all optional. */
export interface UserOptions extends OidcUserOptions {
  port?: string | number;
  host?: string;
  storageDir?: string;
  token?: string;
  allowedHosts?: string[];
  maxBodyMb?: string | number;
  captureQueueMb?: string | number;
  retentionDays?: string | number;
  maxDbMb?: string | number;
  healthInterval?: string | number;
  /** False (`--no-redact`): store payloads as they arrived. */
  redact?: boolean;
  /** Register the demo MCP server (unless the user removed it before) and send it a few calls. */
  demo?: boolean;
  /** `--store`: a PostgreSQL URL (postgres://user@host:5432/db); SQLite in the storage dir when left out. */
  store?: string;
  /** `--instance`: this gateway's name on the records it captures (several can share one store). */
  instance?: string;
  /** A file holding the passphrase logs.db is encrypted with (else MCP_GATEWAY_DB_KEY; else the OS keychain). */
  dbKeyFile?: string;
  /** `--tls self-signed`: serve HTTPS with a certificate the gateway makes and keeps in the storage dir. */
  tls?: string;
  /** `--tls-cert` / `--tls-key`: serve HTTPS with these PEM files. */
  tlsCert?: string;
  tlsKey?: string;
  /** `--proxy-auth`: the proxy URLs (/s/*) also need a gateway token. */
  proxyAuth?: boolean;
  /** API requests per token, such as `600/1m`, or `off` (docs/rate-limits.md). */
  apiRateLimit?: string;
  /** API requests per remote address, such as `1200/1m`, or `off`. */
  apiRateLimitPerAddress?: string;
  maxConnectionsPerClient?: string | number;
  maxSessionsPerClient?: string | number;
  /** `--otlp-endpoint`: export spans and metrics over OTLP/HTTP (docs/opentelemetry.md). */
  otlpEndpoint?: string;
  /** `--metrics-port`: Prometheus /metrics on its own listener on 127.0.0.1, without a token. */
  metricsPort?: string | number;
}

/** How the gateway serves: plain HTTP, HTTPS from the owner's PEM files, or HTTPS with its own certificate. */
export type TlsSetting =
  | { readonly kind: 'off' }
  | { readonly kind: 'files'; readonly cert: string; readonly key: string }
  | { readonly kind: 'self-signed' };

/** The settings the gateway runs with, defaults filled in and validated. */
export interface ResolvedConfig {
  readonly port: number;
  readonly host: string;
  readonly storageDir: string;
  readonly token: string;
  /** True when the token came from MCP_GATEWAY_TOKEN rather than being generated for this run. */
  readonly tokenFromEnv: boolean;
  /** Extra Host names (besides localhost, 127.0.0.1, [::1] and the bound host) the gateway answers to. */
  readonly allowedHosts: readonly string[];
  readonly maxBodyBytes: number;
  readonly capture: CaptureSettings;
  readonly retention: RetentionConfig;
  /** Milliseconds between health checks of HTTP servers; 0 turns periodic checks off. */
  readonly healthIntervalMs: number;
  /**
   * False when `--no-redact` (or MCP_GATEWAY_REDACT=off) asks for raw captures; otherwise the `redaction`
   * block of mcp.json decides (on by default).
   */
  readonly redact: boolean;
  /** The key logs.db is encrypted with (docs/encryption.md); null for a plain store. */
  readonly storeKey: StoreKey | null;
  /** The capture store: logs.db in the storage dir (with `storeKey`), or PostgreSQL (`--store`). */
  readonly store: StoreSpec;
  /**
   * `--instance` (MCP_GATEWAY_INSTANCE): this gateway's name among those sharing a store; null for the
   * default, `<hostname>:<port>`, which is known only once the port is bound.
   */
  readonly instance: string | null;
  /** `--db-key-file` as given: the secret store takes its key from the same file (docs/secrets.md). */
  readonly dbKeyFile: string | null;
  /** OpenID Connect sign-in for the web UI (docs/oidc.md); null when off. */
  readonly oidc: OidcConfig | null;
  /** Milliseconds a web UI session may sit unused before it ends. */
  readonly uiIdleTimeoutMs: number;
  /** HTTPS or not (docs/tls.md). */
  readonly tls: TlsSetting;
  /** True when proxy URLs need a gateway token in X-MCP-Gateway-Token (docs/tls.md). */
  readonly proxyAuth: boolean;
  /** API rates and per-client caps (docs/rate-limits.md); proxy rates live in mcp.json. */
  readonly limits: LimitSettings;
  /** OTLP export of spans and metrics (docs/opentelemetry.md); null when off. */
  readonly otlp: OtlpSettings | null;
  /** Port of the loopback-only Prometheus listener (docs/metrics.md); null: /metrics on the main port only. */
  readonly metricsPort: number | null;
}

export interface RetentionConfig {
  /** Records older than this many days are deleted; 0 keeps them forever. */
  readonly days: number;
  /** Past this many bytes of data in logs.db, the oldest records are deleted; 0 means no limit. */
  readonly maxBytes: number;
}

export interface CaptureSettings {
  /** Bytes of capture events that may wait for the writer before new ones are dropped. */
  readonly queueBytes: number;
  /** Largest message body stored whole; longer ones are stored cut, marked truncated. */
  readonly maxMessageBytes: number;
}

export const DEFAULT_PORT = 3333;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_MAX_BODY_MB = 16;
export const DEFAULT_CAPTURE_QUEUE_MB = 64;
export const DEFAULT_RETENTION_DAYS = 30;
export const DEFAULT_MAX_DB_MB = 2048;
export const DEFAULT_HEALTH_INTERVAL_S = 30;
const MiB = 1024 * 1024;

/** A setting that cannot be used; its message is one line that names the fix. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

function fail(message: string): never {
  throw new ConfigError(message);
}

export function defaultStorageDir(): string {
  return join(homedir(), '.mcp-gateway');
}

export function parsePort(value: string | number): number {
  const text = String(value).trim();
  const port = Number(text);
  if (!/^\d+$/.test(text) || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`invalid port "${value}": use a number from 1 to 65535 (0 picks a free port)`);
  }
  return port;
}

const HOSTNAME =
  /^(?:\[[0-9a-fA-F:.]+\]|[0-9a-fA-F:]+:[0-9a-fA-F:.]*|[a-zA-Z0-9](?:[a-zA-Z0-9.-]{0,251}[a-zA-Z0-9])?)$/;

function parseHost(value: string, what: string): string {
  const host = value.trim();
  if (!HOSTNAME.test(host)) {
    throw new ConfigError(
      `invalid ${what} "${value}": use a host name or IP address such as 127.0.0.1 or localhost`,
    );
  }
  return host.toLowerCase();
}

function parseMegabytes(value: string | number, what: string): number {
  const number = Number(String(value).trim());
  if (!Number.isFinite(number) || number <= 0 || number > 1024) {
    throw new ConfigError(
      `invalid ${what} "${value}": use a size in MiB above 0 and at most 1024, such as 16`,
    );
  }
  return Math.max(1, Math.floor(number * MiB));
}

/** A whole number in a range; `what` names the flag, so the message says which one to fix. */
function parseWhole(value: string | number, what: string, max: number, example: string): number {
  const text = String(value).trim();
  const number = Number(text);
  if (!/^\d+$/.test(text) || number > max) {
    throw new ConfigError(
      `invalid ${what} "${value}": use a whole number from 0 to ${max}, such as ${example} (0 turns it off)`,
    );
  }
  return number;
}

/** A rate such as `600/1m` (per second, minute or hour), or `off`/`0` for none. */
function parseRateSetting(value: string | number, what: string): Rate | null {
  const text = String(value).trim().toLowerCase();
  if (text === 'off' || text === '0') return null;
  const rate = parseRate(text);
  if (!rate) {
    throw new ConfigError(
      `invalid ${what} "${value}": use requests per period, such as 600/1m (periods in s, m or h, at most a day), or off`,
    );
  }
  return rate;
}

/**
 * A setting from its flag, else its environment variable, else the default. A bad value from the
 * environment says so: the user typed no flag and would look for one.
 */
function setting<T>(
  option: string | number | undefined,
  env: NodeJS.ProcessEnv,
  envName: string,
  fallback: string | number,
  parse: (value: string | number) => T,
): T {
  if (option !== undefined) return parse(option);
  const fromEnv = env[envName];
  if (fromEnv === undefined) return parse(fallback);
  try {
    return parse(fromEnv);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(`${envName}: ${error.message}`);
    throw error;
  }
}

export function resolveConfig(options: UserOptions, env: NodeJS.ProcessEnv = process.env): ResolvedConfig {
  const port = setting(options.port, env, 'MCP_GATEWAY_PORT', DEFAULT_PORT, parsePort);
  const host = setting(options.host, env, 'MCP_GATEWAY_HOST', DEFAULT_HOST, (v) =>
    parseHost(String(v), 'host'),
  );
  const storageDir = resolveStorageDir(options.storageDir, env);
  const envToken = env.MCP_GATEWAY_TOKEN;
  const explicitToken = options.token ?? (envToken && envToken.length > 0 ? envToken : undefined);
  if (explicitToken !== undefined && explicitToken.length < 16) {
    throw new ConfigError(
      'MCP_GATEWAY_TOKEN is too short: use at least 16 characters (or unset it to get a random one)',
    );
  }
  const allowedHostsInput = options.allowedHosts ?? splitList(env.MCP_GATEWAY_ALLOWED_HOSTS);
  const allowedHosts = allowedHostsInput.map((h) => parseHost(h, 'allowed host'));
  const maxBodyBytes = setting(options.maxBodyMb, env, 'MCP_GATEWAY_MAX_BODY_MB', DEFAULT_MAX_BODY_MB, (v) =>
    parseMegabytes(v, 'max body size'),
  );
  const queueBytes = setting(
    options.captureQueueMb,
    env,
    'MCP_GATEWAY_CAPTURE_QUEUE_MB',
    DEFAULT_CAPTURE_QUEUE_MB,
    (v) => parseMegabytes(v, 'capture queue size'),
  );
  const retentionDays = setting(
    options.retentionDays,
    env,
    'MCP_GATEWAY_RETENTION_DAYS',
    DEFAULT_RETENTION_DAYS,
    (v) => parseWhole(v, '--retention-days', 36_500, '30'),
  );
  const maxDbMb = setting(options.maxDbMb, env, 'MCP_GATEWAY_MAX_DB_MB', DEFAULT_MAX_DB_MB, (v) =>
    parseWhole(v, '--max-db-mb', 16 * 1024 * 1024, '2048'),
  );
  const healthInterval = setting(
    options.healthInterval,
    env,
    'MCP_GATEWAY_HEALTH_INTERVAL',
    DEFAULT_HEALTH_INTERVAL_S,
    (v) => parseWhole(v, '--health-interval', 86_400, '30'),
  );
  // Limits per client address only tell clients apart when they come from other machines: bound to
  // loopback, every client is this machine's 127.0.0.1, the owner's own tools and test suites among them,
  // so the defaults apply only to a gateway bound beyond loopback. A limit given explicitly always applies.
  const team = !isLoopbackHost(host);
  const limits: LimitSettings = {
    api: {
      perToken: setting(
        options.apiRateLimit,
        env,
        'MCP_GATEWAY_API_RATE_LIMIT',
        team ? DEFAULT_API_LIMITS.perToken : 'off',
        (v) => parseRateSetting(v, '--api-rate-limit'),
      ),
      perAddress: setting(
        options.apiRateLimitPerAddress,
        env,
        'MCP_GATEWAY_API_RATE_LIMIT_PER_ADDRESS',
        team ? DEFAULT_API_LIMITS.perAddress : 'off',
        (v) => parseRateSetting(v, '--api-rate-limit-per-address'),
      ),
    },
    maxConnectionsPerClient: setting(
      options.maxConnectionsPerClient,
      env,
      'MCP_GATEWAY_MAX_CONNECTIONS_PER_CLIENT',
      team ? DEFAULT_MAX_CONNECTIONS_PER_CLIENT : 0,
      (v) => parseWhole(v, '--max-connections-per-client', 1_000_000, '256'),
    ),
    maxSessionsPerClient: setting(
      options.maxSessionsPerClient,
      env,
      'MCP_GATEWAY_MAX_SESSIONS_PER_CLIENT',
      team ? DEFAULT_MAX_SESSIONS_PER_CLIENT : 0,
      (v) => parseWhole(v, '--max-sessions-per-client', 1_000_000, '64'),
    ),
  };
  const storeKey = resolveStoreKey(options.dbKeyFile, env, undefined, { storageDir });
  return {
    port,
    host,
    storageDir,
    token: explicitToken ?? randomBytes(32).toString('base64url'),
    tokenFromEnv: explicitToken !== undefined,
    allowedHosts,
    maxBodyBytes,
    capture: captureSettings(maxBodyBytes, queueBytes),
    retention: { days: retentionDays, maxBytes: maxDbMb * MiB },
    healthIntervalMs: healthInterval * 1000,
    redact: options.redact ?? parseSwitch(env.MCP_GATEWAY_REDACT, 'MCP_GATEWAY_REDACT'),
    storeKey,
    store: resolveStore(options.store, env, { path: storagePaths(storageDir).database, key: storeKey }),
    instance: resolveInstance(options.instance, env),
    dbKeyFile: options.dbKeyFile ?? null,
    oidc: resolveOidc(options, env, fail),
    uiIdleTimeoutMs: resolveUiIdleTimeout(options, env, fail),
    tls: resolveTls(options, env),
    // Off unless asked for: an empty MCP_GATEWAY_PROXY_AUTH is no request.
    proxyAuth:
      options.proxyAuth ??
      (env.MCP_GATEWAY_PROXY_AUTH?.trim()
        ? parseSwitch(env.MCP_GATEWAY_PROXY_AUTH, 'MCP_GATEWAY_PROXY_AUTH')
        : false),
    limits,
    otlp: resolveOtlpSetting(options, env),
    metricsPort: setting(options.metricsPort, env, 'MCP_GATEWAY_METRICS_PORT', '', (v) =>
      String(v).trim() === '' ? null : parsePort(v),
    ),
  };
}

function resolveStore(
  option: string | undefined,
  env: NodeJS.ProcessEnv,
  sqlite: { path: string; key: StoreKey | null },
): StoreSpec {
  try {
    return resolveStoreSpec(option, env, sqlite);
  } catch (error) {
    if (error instanceof StoreSpecError) throw new ConfigError(error.message);
    throw error;
  }
}

function resolveInstance(option: string | undefined, env: NodeJS.ProcessEnv): string | null {
  const fromEnv = env.MCP_GATEWAY_INSTANCE?.trim() ? env.MCP_GATEWAY_INSTANCE : undefined;
  const value = option ?? fromEnv;
  if (value === undefined) return null;
  try {
    return parseInstance(value, option === undefined ? 'MCP_GATEWAY_INSTANCE' : '--instance');
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}

function resolveOtlpSetting(options: UserOptions, env: NodeJS.ProcessEnv): OtlpSettings | null {
  try {
    return resolveOtlp({ endpoint: options.otlpEndpoint }, env);
  } catch (error) {
    if (error instanceof TelemetrySettingError) throw new ConfigError(error.message);
    throw error;
  }
}

/** --tls self-signed, or --tls-cert with --tls-key (each also from the environment); never both. */
export function resolveTls(options: UserOptions, env: NodeJS.ProcessEnv = process.env): TlsSetting {
  const mode = options.tls ?? (env.MCP_GATEWAY_TLS || undefined);
  const cert = options.tlsCert ?? (env.MCP_GATEWAY_TLS_CERT || undefined);
  const key = options.tlsKey ?? (env.MCP_GATEWAY_TLS_KEY || undefined);
  if (mode !== undefined) {
    if (mode.trim().toLowerCase() !== 'self-signed') {
      throw new ConfigError(
        `invalid --tls "${mode}": the only mode is "self-signed"; for your own certificate use --tls-cert FILE --tls-key FILE`,
      );
    }
    if (cert !== undefined || key !== undefined) {
      throw new ConfigError(
        '--tls self-signed and --tls-cert/--tls-key exclude each other: keep one (docs/tls.md)',
      );
    }
    return { kind: 'self-signed' };
  }
  if (cert === undefined && key === undefined) return { kind: 'off' };
  if (cert === undefined || key === undefined) {
    const missing =
      cert === undefined ? '--tls-cert (MCP_GATEWAY_TLS_CERT)' : '--tls-key (MCP_GATEWAY_TLS_KEY)';
    throw new ConfigError(
      `HTTPS needs both a certificate and its private key: add ${missing}, or use --tls self-signed`,
    );
  }
  return { kind: 'files', cert: expandHome(cert), key: expandHome(key) };
}

/**
 * The store's key from --db-key-file or MCP_GATEWAY_DB_KEY, else (given `keychain`) the OS keychain's
 * entry for the storage dir; a problem with it is a setting to fix.
 */
export function resolveStoreKey(
  keyFile: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  envName?: string,
  keychain?: KeychainLookup,
): StoreKey | null {
  try {
    return readStoreKey(keyFile, env, envName, keychain);
  } catch (error) {
    if (error instanceof StoreKeyError) throw new ConfigError(error.message);
    throw error;
  }
}

/** The storage dir from --storage-dir, else MCP_GATEWAY_STORAGE, else ~/.mcp-gateway; `~` expanded. */
export function resolveStorageDir(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const storageOption = option ?? env.MCP_GATEWAY_STORAGE;
  if (storageOption !== undefined && storageOption.trim() === '') {
    throw new ConfigError('invalid storage dir "": give a directory path, such as ~/.mcp-gateway');
  }
  return storageOption ? expandHome(storageOption) : defaultStorageDir();
}

/** Capture limits for a gateway (or `wrap`) accepting request bodies up to `maxBodyBytes`. */
export function captureSettings(
  maxBodyBytes = DEFAULT_MAX_BODY_MB * MiB,
  queueBytes = DEFAULT_CAPTURE_QUEUE_MB * MiB,
): CaptureSettings {
  return { queueBytes, maxMessageBytes: Math.min(Math.max(maxBodyBytes, 8 * MiB), queueBytes) };
}

function parseSwitch(value: string | undefined, what: string): boolean {
  if (value === undefined || value.trim() === '') return true;
  const text = value.trim().toLowerCase();
  if (['on', 'true', '1', 'yes'].includes(text)) return true;
  if (['off', 'false', '0', 'no'].includes(text)) return false;
  throw new ConfigError(`invalid ${what} "${value}": use on or off`);
}

function splitList(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

function expandHome(path: string): string {
  if (path === '~') return homedir();
  if (path.startsWith('~/')) return join(homedir(), path.slice(2));
  return isAbsolute(path) ? path : resolve(path);
}
