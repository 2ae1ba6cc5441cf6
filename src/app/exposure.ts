import type { ResolvedConfig } from '../config/options.js';
import { isLoopbackHost } from '../core/loopback-host.js';

export { isLoopbackHost };

/**
 * What other machines can reach when the gateway binds beyond loopback without TLS or without
 * --proxy-auth, each gap with the flag that closes it; null when bound to loopback or both are on.
 */
export function exposureWarning(config: Pick<ResolvedConfig, 'host' | 'tls' | 'proxyAuth'>): string | null {
  if (isLoopbackHost(config.host)) return null;
  const tls = config.tls.kind !== 'off';
  if (tls && config.proxyAuth) return null;
  const where =
    config.host === '0.0.0.0' || config.host === '::'
      ? `listening on all interfaces (${config.host})`
      : `listening on ${config.host}`;
  const lines = [`${where}: other machines on the network can reach this gateway.`];
  if (!tls) {
    lines.push(
      '  - No TLS: the gateway token, the web UI session cookie and every proxied message (with the credentials clients send their servers) cross the network in clear text. Add --tls self-signed, or --tls-cert FILE --tls-key FILE.',
    );
  }
  if (!config.proxyAuth) {
    lines.push(
      '  - No --proxy-auth: anyone who reaches it can use every registered server through /s/<name>/mcp, with the headers and secrets the gateway adds from mcp.json, and run the stdio servers it starts. Add --proxy-auth (clients then send X-MCP-Gateway-Token).',
    );
  }
  lines.push(
    '  Only do this on a network you trust; see docs/tls.md. Add host names clients use with --allowed-hosts.',
  );
  return lines.join('\n');
}
