import { accessSync, constants, realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This package's `bin` script, from dist/config/ (built) or src/config/ (tests run from source). */
export const GATEWAY_BIN = fileURLToPath(new URL('../../bin/mcp-gateway.js', import.meta.url));

function realpath(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

/**
 * What an MCP client's config should name to run this gateway's CLI: `mcp-gateway` when that command on
 * PATH is this very gateway, else the absolute path of its bin script. From a checkout nothing puts
 * `mcp-gateway` on PATH, and the npm package of that name is another tool, so a bare name would fail or,
 * worse, run something else.
 */
export function gatewayCommand(env: NodeJS.ProcessEnv = process.env, bin = GATEWAY_BIN): string {
  const mine = realpath(bin);
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'mcp-gateway');
    try {
      accessSync(candidate, constants.X_OK);
    } catch {
      continue;
    }
    // The first match is what a client would run: it is this gateway or it is not.
    return mine !== null && realpath(candidate) === mine ? 'mcp-gateway' : bin;
  }
  return bin;
}
