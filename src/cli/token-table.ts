import type { TokenInfo } from '../auth/token-store.js';

const HEADERS = ['NAME', 'ROLE', 'SERVERS', 'CREATED', 'EXPIRES', 'LAST USED'] as const;

/** `2026-11-30 16:20 UTC`-style, minute precision: enough to tell tokens apart, short enough for a table. */
function minute(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

function row(token: TokenInfo): string[] {
  return [
    token.name,
    token.role,
    token.servers ? token.servers.join(',') : 'all',
    minute(token.created),
    token.expires === null ? 'never' : `${token.expired ? 'expired ' : ''}${minute(token.expires)}`,
    token.lastUsed === null ? 'never' : minute(token.lastUsed),
  ];
}

/** `token list` as aligned columns (times in UTC), one line per token, no trailing spaces. */
export function formatTokenTable(tokens: readonly TokenInfo[]): string[] {
  const rows = [[...HEADERS], ...tokens.map(row)];
  const widths = HEADERS.map((_, column) =>
    Math.max(...rows.map((cells) => (cells[column] as string).length)),
  );
  const lines = rows.map((cells) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] as number))
      .join('  ')
      .trimEnd(),
  );
  return [...lines, '', 'Times are UTC. Values are never shown again: rotate a token for a new one.'];
}
