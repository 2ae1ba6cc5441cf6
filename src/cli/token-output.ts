import type { TokenInfo } from '../auth/token-store.js';
import { runningGateway } from '../storage/gateway-lock.js';

/** Where `token create` and `token rotate` write the value: the one place it is ever shown. */
export interface ValueOutput {
  out(line: string): void;
}

/** The address the printed link points at: the running gateway's, else where one would listen by default. */
function gatewayUrl(storageDir: string): { url: string; running: boolean } {
  try {
    const holder = runningGateway(storageDir);
    if (holder?.url) return { url: holder.url, running: true };
  } catch {
    // Not ours to read: the default address is still the most likely one.
  }
  return { url: `http://localhost:${process.env.MCP_GATEWAY_PORT || 3333}`, running: false };
}

export function describeScope(token: TokenInfo): string {
  const servers = token.servers ? `servers ${token.servers.join(', ')}` : 'all servers';
  const expires = token.expires ? `expires ${token.expires.replace(/:\d\d\.\d{3}Z$/, 'Z')}` : 'never expires';
  return `${token.role}, ${servers}, ${expires}`;
}

/** The value, once, and the two ways to use it. */
export function printValue(
  io: ValueOutput,
  storageDir: string,
  verb: string,
  token: TokenInfo,
  value: string,
): void {
  const { url, running } = gatewayUrl(storageDir);
  io.out(`Token ${token.name} ${verb} (${describeScope(token)}).`);
  io.out('Copy it now: it is shown only this once and cannot be recovered.');
  io.out('');
  io.out(`  ${value}`);
  io.out('');
  io.out(`Send it as:  Authorization: Bearer ${value}`);
  io.out(`Web UI:      ${url}/ui?token=${value}${running ? '' : '  (once the gateway runs there)'}`);
}
