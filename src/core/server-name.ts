/** Server names appear in URLs (`/s/<name>/mcp`) and file names, so they are kept to a safe alphabet. */
export const SERVER_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/**
 * Names the REST API already uses beside server names: `/api/servers/config` is the registry and
 * `/api/servers/pending` the launches awaiting approval, so a server called "config" or "pending" could
 * never be read, checked or restarted at `/api/servers/<name>`.
 */
const RESERVED_NAMES = new Set(['config', 'pending']);

export function isValidServerName(name: string): boolean {
  return SERVER_NAME_PATTERN.test(name) && !RESERVED_NAMES.has(name);
}

/** The nearest valid spelling of `name` (lowercase, other characters turned into "-"), or "" when none. */
export function suggestServerName(name: string): string {
  const suggestion = name
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '')
    .slice(0, 64)
    .replace(/[-_]+$/, '');
  return isValidServerName(suggestion) ? suggestion : '';
}

/** Why `name` is refused, with a corrected suggestion, or null when it is fine. */
export function serverNameProblem(name: string): string | null {
  if (RESERVED_NAMES.has(name)) {
    return `server name "${name}" is reserved for the gateway's API (/api/servers/${name}): pick another, such as "${name}-server"`;
  }
  if (isValidServerName(name)) return null;
  const suggestion = suggestServerName(name);
  const hint = suggestion ? ` (for example "${suggestion}")` : '';
  return `server name "${name}" is invalid: use 1-64 lowercase letters, digits, "-" or "_", starting with a letter or digit${hint}`;
}
