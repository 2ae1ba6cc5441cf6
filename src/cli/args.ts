import { ConfigError, type UserOptions } from '../config/options.js';
import { type AuditOptions, parseAudit } from './audit-command.js';
import type { ConnectOptions } from './connect.js';
import { type DbOptions, parseDb } from './db-command.js';
import { type ImportOptions, parseImport } from './import-command.js';
import { type MockOptions, parseMock } from './mock-command.js';
import { parseSecret, type SecretOptions } from './secret-command.js';
import { parseConnect, parseWrap, strictParse } from './subcommand-args.js';
import { parseToken, type TokenOptions } from './token-command.js';
import { parseUi, type UiOptions } from './ui-link.js';
import type { WrapOptions } from './wrap.js';

export type CliCommand =
  | { command: 'serve'; options: UserOptions }
  | { command: 'wrap'; options: WrapOptions }
  | { command: 'connect'; options: ConnectOptions }
  | { command: 'ui'; options: UiOptions }
  | { command: 'secret'; options: SecretOptions }
  | { command: 'token'; options: TokenOptions }
  | { command: 'import'; options: ImportOptions }
  | { command: 'db'; options: DbOptions }
  | { command: 'audit'; options: AuditOptions }
  | { command: 'mock'; options: MockOptions }
  | { command: 'help'; text?: string }
  | { command: 'version' };

export const HELP = `Usage: mcp-gateway [options]
       mcp-gateway ui [--open] [--storage-dir DIR]
       mcp-gateway secret set|list|rm [NAME] [--storage-dir DIR]
       mcp-gateway token create|list|revoke|rotate [NAME] [--storage-dir DIR]
       mcp-gateway import claude-desktop|claude-code|cursor|vscode [--dry-run] [--from FILE]
       mcp-gateway wrap [--name NAME] [--storage-dir DIR] -- <command> [args...]
       mcp-gateway connect <name> [--port N | --url URL] [--storage-dir DIR]
       mcp-gateway db encrypt|decrypt|rekey [--storage-dir DIR] [--db-key-file FILE]
       mcp-gateway audit verify|list [--storage-dir DIR] [--limit N] [--json]
       mcp-gateway mock [export] --from <session id | filter | fixture.json> [--stdio | --port N]

A local gateway for the Model Context Protocol. Register MCP servers, point clients at
http://localhost:<port>/s/<name>/mcp, and every message is forwarded and captured.

Commands:
  ui                     Print (--open: open) the web UI link of the gateway running on the storage dir
  secret set|list|rm     The secret store that mcp.json refers to as \${secret:NAME} (docs/secrets.md)
  token                  Named tokens with a role, servers and expiry, for a team sharing the gateway
                         (create, list, revoke, rotate; docs/tokens-and-roles.md)
  import <client>        Add the servers of claude-desktop, claude-code, cursor or vscode, secrets moved
                         into the secret store (preview first; --dry-run, --yes)
  db                     Encrypt, decrypt or re-key the storage dir's logs.db (mcp-gateway db --help)
  audit verify|list      Check the audit log's hash chain, or list its newest entries (docs/audit.md)
  mock                   Serve recorded traffic as an MCP server, for tests without the real server;
                         mock export writes it to a fixture file (mcp-gateway mock --help)

For clients that only launch stdio servers (see mcp-gateway <command> --help):
  wrap                   Run a stdio server in the client's place and record its traffic
  connect                Be a stdio server that forwards to /s/<name>/mcp of a running gateway

Options:
  --port <n>             Port to listen on (env MCP_GATEWAY_PORT, default 3333; 0 picks a free one)
  --host <addr>          Address to bind (env MCP_GATEWAY_HOST, default 127.0.0.1)
  --storage-dir <dir>    Where mcp.json and logs.db live (env MCP_GATEWAY_STORAGE, default ~/.mcp-gateway)
  --store <url>          The capture store: a PostgreSQL URL, postgres://user@host:5432/db (env
                         MCP_GATEWAY_STORE); default SQLite, logs.db in the storage dir (docs/postgres.md)
  --instance <name>      This gateway's name on the records it captures, for several gateways sharing one
                         PostgreSQL store (env MCP_GATEWAY_INSTANCE, default <hostname>:<port>)
  --db-key-file <file>   Encrypt logs.db with the passphrase in this file (mode 600); or env MCP_GATEWAY_DB_KEY;
                         else the OS keychain's key for an encrypted store (mcp-gateway db encrypt --keychain).
                         Without any, logs.db is not encrypted (docs/encryption.md)
  --allowed-hosts <list> Extra host names the gateway answers to, comma-separated
                         (env MCP_GATEWAY_ALLOWED_HOSTS); localhost, 127.0.0.1 and [::1] always are
  --tls-cert <file>      Serve HTTPS with this PEM certificate (chain) and --tls-key's private key
  --tls-key <file>       (env MCP_GATEWAY_TLS_CERT, MCP_GATEWAY_TLS_KEY; docs/tls.md)
  --tls self-signed      Serve HTTPS with a certificate the gateway makes for this machine's names and
                         keeps in <storage-dir>/tls (env MCP_GATEWAY_TLS=self-signed)
  --proxy-auth           Proxy URLs (/s/<name>/mcp) also need a gateway token, sent in the
                         X-MCP-Gateway-Token header (env MCP_GATEWAY_PROXY_AUTH=on); for gateways other
                         machines can reach
  --max-body-mb <n>      Largest request body accepted, in MiB (env MCP_GATEWAY_MAX_BODY_MB, default 16)
  --capture-queue-mb <n> Memory for captures waiting to be written, in MiB; past it captures are
                         dropped and counted, traffic is never slowed (env MCP_GATEWAY_CAPTURE_QUEUE_MB,
                         default 64)
  --retention-days <n>   Delete captured traffic older than this (env MCP_GATEWAY_RETENTION_DAYS,
                         default 30; 0 keeps it forever)
  --max-db-mb <n>        Delete the oldest traffic when logs.db holds more than this many MiB
                         (env MCP_GATEWAY_MAX_DB_MB, default 2048; 0 means no limit)
  --health-interval <s>  Seconds between health checks of HTTP servers (env MCP_GATEWAY_HEALTH_INTERVAL,
                         default 30; 0 turns periodic checks off)
  --ui-idle-timeout <d>  End a web UI session after this long without use, e.g. 30m
                         (env MCP_GATEWAY_UI_IDLE_TIMEOUT, default 30m)
  --oidc-issuer <url>    Offer "Sign in with <provider>" in the web UI: OpenID Connect with this issuer
                         (env MCP_GATEWAY_OIDC_ISSUER; docs/oidc.md). Needs --oidc-client-id and --oidc-roles
                         or --oidc-default-role; register <gateway origin>/ui/auth/callback at the provider
  --oidc-client-id <id>  The gateway's client at the provider (env MCP_GATEWAY_OIDC_CLIENT_ID)
  --oidc-client-secret-file <file>
                         Its client secret, from a file (or env MCP_GATEWAY_OIDC_CLIENT_SECRET;
                         --oidc-client-secret <s> works too, but shows in the process list)
  --oidc-role-claim <c>  The claim that holds the user's groups (env MCP_GATEWAY_OIDC_ROLE_CLAIM,
                         default groups)
  --oidc-roles <map>     Claim values to roles, e.g. "admins=admin,devs=operator,*=viewer"
                         (env MCP_GATEWAY_OIDC_ROLES); * is any signed-in user
  --oidc-default-role <r>
                         The role of a user the map gives none: viewer, operator, admin, or none to refuse
                         them (env MCP_GATEWAY_OIDC_DEFAULT_ROLE, default none)
  --oidc-redirect-uri <url>
                         The redirect URI registered at the provider, when a reverse proxy puts the gateway
                         at another origin (env MCP_GATEWAY_OIDC_REDIRECT_URI)
  --oidc-session-max <d> An OpenID sign-in ends after this long even in use (env MCP_GATEWAY_OIDC_SESSION_MAX,
                         default 12h)
  --api-rate-limit <r>   REST API and gateway MCP requests per token, such as 600/1m, or off
                         (env MCP_GATEWAY_API_RATE_LIMIT, default 600/1m; docs/rate-limits.md)
  --api-rate-limit-per-address <r>
                         The same per client address (env MCP_GATEWAY_API_RATE_LIMIT_PER_ADDRESS,
                         default 1200/1m)
  --max-connections-per-client <n>
                         Open connections from one client address (env
                         MCP_GATEWAY_MAX_CONNECTIONS_PER_CLIENT, default 256; 0 turns it off)
  --max-sessions-per-client <n>
                         Open MCP sessions from one client address through the proxy (env
                         MCP_GATEWAY_MAX_SESSIONS_PER_CLIENT, default 64; 0 turns it off).
                         These four defaults apply only when --host is beyond loopback
  --otlp-endpoint <url>  Export a span per MCP request and MCP metrics over OTLP/HTTP to this collector,
                         such as http://localhost:4318 (env OTEL_EXPORTER_OTLP_ENDPOINT; also
                         OTEL_EXPORTER_OTLP_HEADERS, OTEL_EXPORTER_OTLP_PROTOCOL http/protobuf|http/json,
                         OTEL_SERVICE_NAME; docs/opentelemetry.md). Off unless set
  --metrics-port <n>     Also serve Prometheus /metrics on 127.0.0.1:<n> without a token
                         (env MCP_GATEWAY_METRICS_PORT); /metrics on the main port always needs a
                         token (docs/metrics.md)
  --no-redact            Store payloads as they arrived, secrets included (env MCP_GATEWAY_REDACT=off);
                         by default secrets are redacted before storage (docs/redaction.md)
  --demo                 Register a demo MCP server ("demo") and send it a few calls, so the web UI has
                         traffic to show; remove it in the UI and --demo leaves it out from then on
  -h, --help             Show this help
  -v, --version          Show the version

Environment:
  MCP_GATEWAY_TOKEN      Token for the REST API, the gateway MCP server and the web UI
                         (default: a new random token each start, printed with the UI link)

Docs: README.md (quick start, client setup, troubleshooting) and docs/ (reference)`;

/** Parses argv (without node and script); throws ConfigError with a one-line message on bad input. */
export function parseCli(argv: readonly string[]): CliCommand {
  if (argv[0] === 'wrap') return parseWrap(argv.slice(1));
  if (argv[0] === 'connect') return parseConnect(argv.slice(1));
  if (argv[0] === 'ui') return parseUi(argv.slice(1));
  if (argv[0] === 'secret') return parseSecret(argv.slice(1));
  if (argv[0] === 'token') return parseToken(argv.slice(1));
  if (argv[0] === 'import') return parseImport(argv.slice(1));
  if (argv[0] === 'db') return parseDb(argv.slice(1));
  if (argv[0] === 'audit') return parseAudit(argv.slice(1));
  if (argv[0] === 'mock') return parseMock(argv.slice(1));
  const parsed = strictParse(argv, {
    port: { type: 'string' },
    host: { type: 'string' },
    'storage-dir': { type: 'string' },
    store: { type: 'string' },
    instance: { type: 'string' },
    'db-key-file': { type: 'string' },
    'allowed-hosts': { type: 'string', multiple: true },
    'max-body-mb': { type: 'string' },
    'capture-queue-mb': { type: 'string' },
    'retention-days': { type: 'string' },
    'max-db-mb': { type: 'string' },
    'health-interval': { type: 'string' },
    'ui-idle-timeout': { type: 'string' },
    'oidc-issuer': { type: 'string' },
    'oidc-client-id': { type: 'string' },
    'oidc-client-secret': { type: 'string' },
    'oidc-client-secret-file': { type: 'string' },
    'oidc-role-claim': { type: 'string' },
    'oidc-roles': { type: 'string' },
    'oidc-default-role': { type: 'string' },
    'oidc-session-max': { type: 'string' },
    'oidc-redirect-uri': { type: 'string' },
    'api-rate-limit': { type: 'string' },
    'api-rate-limit-per-address': { type: 'string' },
    'max-connections-per-client': { type: 'string' },
    'max-sessions-per-client': { type: 'string' },
    'otlp-endpoint': { type: 'string' },
    'metrics-port': { type: 'string' },
    'no-redact': { type: 'boolean' },
    tls: { type: 'string' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'proxy-auth': { type: 'boolean' },
    demo: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean', short: 'v' },
  });
  const { values, positionals } = parsed;
  if (values.help) return { command: 'help' };
  if (values.version) return { command: 'version' };
  if (positionals.length > 0) {
    throw new ConfigError(`unknown command "${positionals[0]}". See mcp-gateway --help`);
  }
  const allowedHosts = (values['allowed-hosts'] as string[] | undefined)?.flatMap((v) =>
    v
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean),
  );
  return {
    command: 'serve',
    options: {
      port: values.port as string | undefined,
      host: values.host as string | undefined,
      storageDir: values['storage-dir'] as string | undefined,
      store: values.store as string | undefined,
      instance: values.instance as string | undefined,
      dbKeyFile: values['db-key-file'] as string | undefined,
      allowedHosts,
      maxBodyMb: values['max-body-mb'] as string | undefined,
      captureQueueMb: values['capture-queue-mb'] as string | undefined,
      retentionDays: values['retention-days'] as string | undefined,
      maxDbMb: values['max-db-mb'] as string | undefined,
      healthInterval: values['health-interval'] as string | undefined,
      uiIdleTimeout: values['ui-idle-timeout'] as string | undefined,
      oidcIssuer: values['oidc-issuer'] as string | undefined,
      oidcClientId: values['oidc-client-id'] as string | undefined,
      oidcClientSecret: values['oidc-client-secret'] as string | undefined,
      oidcClientSecretFile: values['oidc-client-secret-file'] as string | undefined,
      oidcRoleClaim: values['oidc-role-claim'] as string | undefined,
      oidcRoles: values['oidc-roles'] as string | undefined,
      oidcDefaultRole: values['oidc-default-role'] as string | undefined,
      oidcSessionMax: values['oidc-session-max'] as string | undefined,
      oidcRedirectUri: values['oidc-redirect-uri'] as string | undefined,
      apiRateLimit: values['api-rate-limit'] as string | undefined,
      apiRateLimitPerAddress: values['api-rate-limit-per-address'] as string | undefined,
      maxConnectionsPerClient: values['max-connections-per-client'] as string | undefined,
      maxSessionsPerClient: values['max-sessions-per-client'] as string | undefined,
      otlpEndpoint: values['otlp-endpoint'] as string | undefined,
      metricsPort: values['metrics-port'] as string | undefined,
      ...(values['no-redact'] ? { redact: false } : {}),
      tls: values.tls as string | undefined,
      tlsCert: values['tls-cert'] as string | undefined,
      tlsKey: values['tls-key'] as string | undefined,
      ...(values['proxy-auth'] ? { proxyAuth: true } : {}),
      demo: values.demo === true,
    },
  };
}
