import type { RunningGateway, ShutdownSummary } from '../app/gateway.js';
import type { GatewayTls } from '../app/serving-tls.js';
import { capturePolicy, redactionLine } from '../capture/policy.js';
import { VERSION } from '../core/version.js';
import { proxyPath } from '../proxy/route.js';
import { maskedCommandLine, maskUrl } from '../redaction/config-masking.js';
import { describeStore } from '../store/store-spec.js';

/** The startup lines: version, where to connect, the UI link with its token, and each server's proxy URL. */
export function startupBanner(gateway: RunningGateway): string {
  const { config, registry } = gateway;
  const lines = [
    `MCP Gateway ${VERSION}`,
    `  Listening   ${gateway.tls ? 'https' : 'http'}://${config.host.includes(':') ? `[${config.host}]` : config.host}:${gateway.port}`,
    `  Web UI      ${gateway.url}/ui?token=${encodeURIComponent(config.token)}`,
    ...tlsLines(gateway.tls),
    ...(config.proxyAuth
      ? ['  Proxy auth  on: clients send "X-MCP-Gateway-Token: <token>" to /s/<name>/mcp (docs/tls.md)']
      : []),
    // Names where the key came from, never the key: which of the three sources won is worth knowing.
    `  Storage     ${config.storageDir}${config.storeKey ? ` (logs.db encrypted, key from ${config.storeKey.source})` : ''}`,
    // A shared store: where captures go (password masked) and the name this gateway's records carry.
    ...(config.store.kind === 'postgres'
      ? [`  Store       ${describeStore(config.store).location} (instance ${gateway.instance})`]
      : []),
    `  Redaction   ${redactionLine(capturePolicy(registry.redaction, config.redact))}`,
    ...(config.otlp
      ? [
          `  OTLP        ${config.otlp.protocol} → ${maskUrl(config.otlp.tracesUrl)} and /v1/metrics (service.name ${config.otlp.serviceName})`,
        ]
      : []),
    ...(gateway.metricsPort !== null
      ? [
          `  Metrics     http://127.0.0.1:${gateway.metricsPort}/metrics (no token; ${gateway.url}/metrics needs one)`,
        ]
      : []),
  ];
  const names = registry.names();
  if (names.length === 0) {
    lines.push('  Servers     none yet: add one with POST /api/servers/config or in mcp.json');
  } else {
    lines.push(`  Servers     ${names.length}`);
    const width = Math.max(...names.map((n) => n.length));
    for (const name of names) {
      const server = registry.get(name);
      // Terminals are logged and screen-shared: secrets in a URL or in args are masked here as in the API.
      const target =
        server && 'url' in server
          ? maskUrl(server.url)
          : maskedCommandLine(server?.command ?? '', server?.args ?? []);
      lines.push(`    ${name.padEnd(width)}  ${gateway.url}${proxyPath(name)}  → ${target}`);
    }
  }
  if (registry.error) lines.push(`  ! ${registry.error}`);
  lines.push('  Press Ctrl-C to stop.');
  return lines.join('\n');
}

/** Which certificate is served and, for the gateway's own, how clients come to trust it (docs/tls.md). */
function tlsLines(tls: GatewayTls | null): string[] {
  if (!tls) return [];
  if (tls.source === 'files') {
    return [
      `  TLS         ${tls.certPath}, valid until ${tls.validTo.toISOString().slice(0, 10)}`,
      `              SHA-256 ${tls.fingerprint}`,
    ];
  }
  return [
    `  TLS         self-signed ${tls.made ? `(new: ${tls.made})` : '(reused)'}, valid until ${tls.validTo.toISOString().slice(0, 10)}`,
    `              SHA-256 ${tls.fingerprint}`,
    `              Trust it: Node clients NODE_EXTRA_CA_CERTS=${tls.certPath}; browsers and other clients:`,
    '              add that file to the OS trust store (docs/tls.md), after checking the fingerprint',
  ];
}

function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

export function shutdownSummary(summary: ShutdownSummary): string {
  const { capture } = summary;
  const servers = Object.entries(capture.byServer)
    .sort((a, b) => b[1] - a[1])
    .map(([name, count]) => `${name} ${count}`)
    .join(', ');
  const lost = capture.dropped + capture.storeFailures;
  return [
    `Captured ${capture.captured} message(s) in ${duration(summary.uptimeMs)}${servers ? ` (${servers})` : ''}.`,
    lost > 0
      ? `  ${capture.dropped} capture event(s) dropped, ${capture.storeFailures} record(s) not stored.`
      : '',
    capture.telemetry && capture.telemetry.dropped > 0
      ? `  ${capture.telemetry.dropped} span(s) could not be sent to the OTLP collector.`
      : '',
  ]
    .filter(Boolean)
    .join('\n');
}
