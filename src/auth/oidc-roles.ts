import { isRole, ROLES, type Role } from './roles.js';

/**
 * Which role an OpenID Connect user gets: the values of one claim (e.g. `groups`) are looked up in a map
 * such as `admins=admin,devs=operator`; `*` stands for any signed-in user. The highest role found wins; a
 * user whose values map to nothing gets the default role, or is refused when that is `none`.
 */
export interface RoleMapping {
  /** The claim holding the user's groups or roles; a string or an array of strings. */
  readonly claim: string;
  /** Claim value → role; the key `*` matches every user. */
  readonly roles: ReadonlyMap<string, Role>;
  /** The role of a user no entry matches; null refuses them. */
  readonly defaultRole: Role | null;
}

/** What `--oidc-roles` must look like, for error messages. */
export const ROLE_MAP_EXAMPLE = '"admins=admin,devs=operator,*=viewer"';

/** Parses `value=role,value=role`; throws an Error whose message names the fix. */
export function parseRoleMap(text: string): Map<string, Role> {
  const map = new Map<string, Role>();
  for (const part of text.split(',')) {
    const entry = part.trim();
    if (entry === '') continue;
    const at = entry.lastIndexOf('=');
    const value = entry.slice(0, Math.max(at, 0)).trim();
    const role = entry.slice(at + 1).trim();
    if (at <= 0 || value === '' || !isRole(role)) {
      throw new Error(
        `"${entry}" is not a claim value and a role: write value=role with a role of ${ROLES.join(', ')}, such as ${ROLE_MAP_EXAMPLE}`,
      );
    }
    map.set(value, role);
  }
  return map;
}

/** The claim's values as strings: a single string, a list, or a space-separated scope-like string. */
export function claimValues(claims: Record<string, unknown>, claim: string): string[] {
  const value = claims[claim];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** The role these claims give, or null when the user has none on this gateway. */
export function roleFor(claims: Record<string, unknown>, mapping: RoleMapping): Role | null {
  let best: Role | null = null;
  const consider = (role: Role | undefined) => {
    if (role !== undefined && (best === null || ROLES.indexOf(role) > ROLES.indexOf(best))) best = role;
  };
  for (const value of claimValues(claims, mapping.claim)) consider(mapping.roles.get(value));
  consider(mapping.roles.get('*'));
  return best ?? mapping.defaultRole;
}
