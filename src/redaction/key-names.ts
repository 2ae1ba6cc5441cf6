/**
 * Which names (JSON keys, query parameters, flags, env variables, headers) hold secrets. Names are compared
 * normalized: lowercase with separators dropped, so `apiKey`, `api_key`, `API-KEY` and `x-api-key` all end
 * in `apikey`. A name is secret when it ends with one of the endings below; the ending picks the kind shown
 * in the `[REDACTED:<kind>]` marker.
 */

/** Endings, longest first where one contains another, with the kind they stand for. */
const ENDINGS: readonly (readonly [string, string])[] = [
  ['clientsecret', 'client_secret'],
  ['privatekey', 'private_key'],
  ['secretkey', 'secret'],
  ['accesskey', 'access_key'],
  ['apikey', 'api_key'],
  ['accesstoken', 'access_token'],
  ['refreshtoken', 'refresh_token'],
  ['idtoken', 'id_token'],
  ['token', 'token'],
  ['secret', 'secret'],
  ['password', 'password'],
  ['passwd', 'password'],
  ['passphrase', 'password'],
  ['credentials', 'credentials'],
  ['credential', 'credentials'],
  ['authorization', 'authorization'],
  ['cookie', 'cookie'],
  ['sessionkey', 'session_key'],
  ['sessiontoken', 'session_token'],
];

/**
 * Names that end like a secret but are not one. MCP's own `progressToken` (spec: "Progress") and
 * pagination tokens are identifiers the owner needs to read to debug a flow.
 */
const NOT_SECRET = new Set(['progresstoken', 'pagetoken', 'nextpagetoken', 'nexttoken', 'continuationtoken']);

export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** The kind of secret a name holds, or null. `extra` holds more normalized names (exact matches). */
export function secretKind(name: string, extra?: ReadonlyMap<string, string>): string | null {
  // Most keys in a payload are short everyday words; the cheapest test rules most of them out.
  const normalized = normalizeName(name);
  const added = extra?.get(normalized);
  if (added !== undefined) return added;
  if (normalized.length < 5 || NOT_SECRET.has(normalized)) return null;
  for (const [ending, kind] of ENDINGS) {
    if (normalized.endsWith(ending)) return kind;
  }
  return null;
}
