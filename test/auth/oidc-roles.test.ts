import { describe, expect, it } from 'vitest';
import { parseRoleMap, type RoleMapping, roleFor } from '../../src/auth/oidc-roles.js';

const mapping = (
  roles: string,
  defaultRole: RoleMapping['defaultRole'] = null,
  claim = 'groups',
): RoleMapping => ({
  claim,
  roles: parseRoleMap(roles),
  defaultRole,
});

describe('the role an OpenID user gets', () => {
  it('is the highest role any of their claim values maps to', () => {
    const map = mapping('admins=admin,devs=operator,readers=viewer');
    expect(roleFor({ groups: ['readers', 'devs'] }, map)).toBe('operator');
    expect(roleFor({ groups: ['admins', 'readers'] }, map)).toBe('admin');
    expect(roleFor({ groups: 'readers' }, map)).toBe('viewer');
  });

  it('is the default role when nothing maps, or none (refused)', () => {
    expect(roleFor({ groups: ['contractors'] }, mapping('admins=admin'))).toBeNull();
    expect(roleFor({}, mapping('admins=admin'))).toBeNull();
    expect(roleFor({ groups: ['contractors'] }, mapping('admins=admin', 'viewer'))).toBe('viewer');
  });

  it('gives * to every signed-in user, below any better match', () => {
    const map = mapping('admins=admin,*=viewer');
    expect(roleFor({ groups: ['contractors'] }, map)).toBe('viewer');
    expect(roleFor({ groups: ['admins'] }, map)).toBe('admin');
  });

  it('reads the configured claim, ignoring values that are not strings', () => {
    const map = mapping('gateway-admin=admin', null, 'roles');
    expect(roleFor({ roles: [42, 'gateway-admin'], groups: ['x'] }, map)).toBe('admin');
    expect(roleFor({ groups: ['gateway-admin'] }, map)).toBeNull();
  });
});
