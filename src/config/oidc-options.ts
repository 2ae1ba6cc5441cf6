import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { parseRoleMap, ROLE_MAP_EXAMPLE } from '../auth/oidc-roles.js';
import type { OidcConfig } from '../auth/oidc-sign-in.js';
import { isRole } from '../auth/roles.js';
import { parseDuration } from './duration.js';

/** OpenID Connect sign-in for the web UI (docs/oidc.md), as flags and environment give it. */
export interface OidcUserOptions {
  oidcIssuer?: string;
  oidcClientId?: string;
  /** Also MCP_GATEWAY_OIDC_CLIENT_SECRET or a file: a flag shows in `ps` to every user of the machine. */
  oidcClientSecret?: string;
  oidcClientSecretFile?: string;
  oidcRoleClaim?: string;
  oidcRoles?: string;
  oidcDefaultRole?: string;
  /** Where the provider sends the browser back, when the gateway's own origin is not it (a reverse proxy). */
  oidcRedirectUri?: string;
  /** How long an OpenID sign-in lasts at most, idle or not, e.g. `12h`. */
  oidcSessionMax?: string;
  /** How long a web UI session may sit unused before it ends, e.g. `30m`. */
  uiIdleTimeout?: string;
}

/** The settings OpenID sign-in runs with (src/auth/oidc-sign-in.ts); resolved here from flags and env. */
export type { OidcConfig };

export const DEFAULT_UI_IDLE_TIMEOUT = '30m';
export const DEFAULT_OIDC_SESSION_MAX = '12h';
export const DEFAULT_OIDC_ROLE_CLAIM = 'groups';

type Fail = (message: string) => never;

/** A setting from its flag, else its environment variable; the error names whichever the user set. */
function pick(option: string | undefined, env: NodeJS.ProcessEnv, envName: string, flag: string) {
  if (option !== undefined) return { value: option, name: flag };
  const fromEnv = env[envName];
  return fromEnv !== undefined && fromEnv !== '' ? { value: fromEnv, name: envName } : undefined;
}

function duration(
  given: { value: string; name: string } | undefined,
  fallback: string,
  fail: Fail,
  max: number,
): number {
  const ms = parseDuration(given?.value ?? fallback);
  if (ms === null || ms < 1000 || ms > max) {
    fail(`invalid ${given?.name} "${given?.value}": use a duration of at least 1 s such as 90s, 30m or 12h`);
  }
  return ms;
}

/** The idle timeout of web UI sessions, in milliseconds. */
export function resolveUiIdleTimeout(options: OidcUserOptions, env: NodeJS.ProcessEnv, fail: Fail): number {
  const given = pick(options.uiIdleTimeout, env, 'MCP_GATEWAY_UI_IDLE_TIMEOUT', '--ui-idle-timeout');
  return duration(given, DEFAULT_UI_IDLE_TIMEOUT, fail, 30 * 86_400_000);
}

/**
 * Plain http is accepted only for an issuer on this machine (a test or a local provider): anywhere else the
 * authorization code and tokens would cross the network in the clear (OpenID Connect Core §16.17).
 */
function parseIssuer(given: { value: string; name: string }, fail: Fail): URL {
  let url: URL;
  try {
    url = new URL(given.value);
  } catch {
    fail(
      `invalid ${given.name} "${given.value}": give the provider's https URL, such as https://accounts.example.com`,
    );
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const loopback = host === 'localhost' || (isIP(host) !== 0 && /^(127\.|::1$)/.test(host));
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    fail(
      `invalid ${given.name} "${given.value}": the issuer must be an https URL (http only on this machine)`,
    );
  }
  return url;
}

/** OpenID Connect settings, or null when no issuer is set; throws (via `fail`) on a setting to fix. */
export function resolveOidc(options: OidcUserOptions, env: NodeJS.ProcessEnv, fail: Fail): OidcConfig | null {
  const issuer = pick(options.oidcIssuer, env, 'MCP_GATEWAY_OIDC_ISSUER', '--oidc-issuer');
  const clientId = pick(options.oidcClientId, env, 'MCP_GATEWAY_OIDC_CLIENT_ID', '--oidc-client-id');
  if (!issuer) {
    if (clientId) fail(`${clientId.name} is set without --oidc-issuer: give both, or neither`);
    return null;
  }
  if (!clientId) {
    fail(
      '--oidc-issuer needs --oidc-client-id (or MCP_GATEWAY_OIDC_CLIENT_ID): the client registered at the provider',
    );
  }
  const secretFile = pick(
    options.oidcClientSecretFile,
    env,
    'MCP_GATEWAY_OIDC_CLIENT_SECRET_FILE',
    '--oidc-client-secret-file',
  );
  let clientSecret =
    pick(options.oidcClientSecret, env, 'MCP_GATEWAY_OIDC_CLIENT_SECRET', '--oidc-client-secret')?.value ??
    null;
  if (secretFile) {
    try {
      clientSecret = readFileSync(secretFile.value, 'utf8').trim();
    } catch (error) {
      fail(
        `cannot read ${secretFile.name} ${secretFile.value}: ${(error as NodeJS.ErrnoException).code ?? error}`,
      );
    }
  }
  const claim = pick(options.oidcRoleClaim, env, 'MCP_GATEWAY_OIDC_ROLE_CLAIM', '--oidc-role-claim');
  const rolesGiven = pick(options.oidcRoles, env, 'MCP_GATEWAY_OIDC_ROLES', '--oidc-roles');
  let roles = new Map();
  try {
    roles = parseRoleMap(rolesGiven?.value ?? '');
  } catch (error) {
    fail(`invalid ${rolesGiven?.name}: ${(error as Error).message}`);
  }
  const defaultGiven = pick(
    options.oidcDefaultRole,
    env,
    'MCP_GATEWAY_OIDC_DEFAULT_ROLE',
    '--oidc-default-role',
  );
  const defaultRole = defaultGiven?.value.trim().toLowerCase() ?? 'none';
  if (defaultRole !== 'none' && !isRole(defaultRole)) {
    fail(`invalid ${defaultGiven?.name} "${defaultGiven?.value}": use viewer, operator, admin or none`);
  }
  if (roles.size === 0 && defaultRole === 'none') {
    fail(
      `OpenID sign-in would refuse everyone: map claim values to roles with --oidc-roles ${ROLE_MAP_EXAMPLE}, or give a --oidc-default-role`,
    );
  }
  const redirect = pick(options.oidcRedirectUri, env, 'MCP_GATEWAY_OIDC_REDIRECT_URI', '--oidc-redirect-uri');
  if (redirect && !/^https?:\/\/[^/]+(\/.*)?\/ui\/auth\/callback$/.test(redirect.value.trim())) {
    fail(
      `invalid ${redirect.name} "${redirect.value}": give the URL the browser reaches the gateway at, ending in /ui/auth/callback, such as https://gateway.example.com/ui/auth/callback`,
    );
  }
  const sessionMax = pick(options.oidcSessionMax, env, 'MCP_GATEWAY_OIDC_SESSION_MAX', '--oidc-session-max');
  return {
    issuer: parseIssuer(issuer, fail),
    clientId: clientId.value.trim(),
    clientSecret: clientSecret === '' ? null : clientSecret,
    mapping: {
      claim: claim?.value.trim() || DEFAULT_OIDC_ROLE_CLAIM,
      roles,
      defaultRole: defaultRole === 'none' ? null : (defaultRole as 'viewer'),
    },
    redirectUri: redirect?.value.trim() ?? null,
    sessionMaxMs: duration(sessionMax, DEFAULT_OIDC_SESSION_MAX, fail, 30 * 86_400_000),
  };
}
