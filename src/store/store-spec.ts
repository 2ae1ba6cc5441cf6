import type { StoreKey } from './cipher.js';

/**
 * Which capture store a gateway opens: SQLite (logs.db in the storage dir, the default; `key` when it is
 * encrypted) or a shared PostgreSQL database several gateways write to (`--store postgres://...`).
 */
export type StoreSpec =
  | { readonly kind: 'sqlite'; readonly path: string; readonly key?: StoreKey }
  | { readonly kind: 'postgres'; readonly url: string };

/** A `--store` (or MCP_GATEWAY_STORE) value that names no store this gateway can open. */
export class StoreSpecError extends Error {
  override name = 'StoreSpecError';
}

/** The schemes libpq and the pg driver accept for a connection URI (PostgreSQL docs, 34.1.1.2). */
const POSTGRES_SCHEMES = new Set(['postgres:', 'postgresql:']);
const MASK = '***';

/**
 * The URL with its password (in the user part or libpq's `?password=`) replaced by `***`: what every
 * message, log line and API answer shows, so a connection secret never reaches a terminal or a browser.
 */
export function maskStoreUrl(text: string): string {
  let url: URL | null = null;
  try {
    url = new URL(text);
  } catch {
    url = null;
  }
  let masked = text;
  if (url?.host && url.password) {
    url.password = MASK;
    // The URL class percent-encodes the mask; the reader should see plain stars.
    masked = url.href.replaceAll(encodeURIComponent(MASK), MASK);
  } else if (!url?.host) {
    // Not a URL with a host ("user:secret@host" reads as a scheme and a path): hide whatever sits between
    // the user and "@" (RFC 3986, 3.2.1: userinfo is user ":" password).
    masked = masked.replace(/^((?:[a-z][a-z0-9+.-]*:)?(?:\/\/)?[^/@:]*):[^@]*@/i, `$1:${MASK}@`);
  }
  return masked.replace(/([?&]password=)[^&#]*/gi, `$1${MASK}`);
}

/**
 * Parses the value of `--store` (`source` names where it came from, for the message). Only PostgreSQL
 * URLs are given this way: the SQLite store is the default and lives in the storage dir.
 */
export function parseStoreUrl(text: string, source: string): StoreSpec {
  const value = text.trim();
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    url = null;
  }
  if (!url || !POSTGRES_SCHEMES.has(url.protocol)) {
    throw new StoreSpecError(
      `${source} "${maskStoreUrl(value)}" is not a store URL this gateway can use: give a PostgreSQL URL ` +
        '(postgres://user@host:5432/db or postgresql://user@host/db), or leave it out for the SQLite store ' +
        'in the storage dir.',
    );
  }
  return { kind: 'postgres', url: value };
}

/**
 * The store a gateway opens: `--store` first, then MCP_GATEWAY_STORE (an empty one counts as unset), else
 * SQLite at `sqlite.path`.
 */
export function resolveStoreSpec(
  option: string | undefined,
  env: NodeJS.ProcessEnv,
  sqlite: { path: string; key: StoreKey | null },
): StoreSpec {
  if (option !== undefined) return parseStoreUrl(option, '--store');
  const fromEnv = env.MCP_GATEWAY_STORE?.trim();
  if (fromEnv) return parseStoreUrl(fromEnv, 'MCP_GATEWAY_STORE');
  return sqlite.key
    ? { kind: 'sqlite', path: sqlite.path, key: sqlite.key }
    : { kind: 'sqlite', path: sqlite.path };
}

/** The store as users are shown it (banner, /api/status), the password masked. */
export function describeStore(spec: StoreSpec): { kind: StoreSpec['kind']; location: string } {
  return spec.kind === 'sqlite'
    ? { kind: 'sqlite', location: spec.path }
    : { kind: 'postgres', location: maskStoreUrl(spec.url) };
}
