import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCli } from '../../src/cli/args.js';
import { ConfigError, resolveConfig, type UserOptions } from '../../src/config/options.js';

const ISSUER = 'https://accounts.example.com';

describe('OpenID Connect and UI session options', () => {
  it('are off by default; UI sessions end after 30 minutes unused', () => {
    const config = resolveConfig({}, {});
    expect(config.oidc).toBeNull();
    expect(config.uiIdleTimeoutMs).toBe(30 * 60_000);
  });

  it('come from flags, with the groups claim, refusal of unmapped users and a 12 h cap by default', () => {
    const config = resolveConfig(
      { oidcIssuer: ISSUER, oidcClientId: 'gateway', oidcRoles: 'admins=admin, devs=operator,*=viewer' },
      {},
    );
    expect(config.oidc?.issuer.href).toBe(`${ISSUER}/`);
    expect(config.oidc?.clientId).toBe('gateway');
    expect(config.oidc?.clientSecret).toBeNull();
    expect(config.oidc?.mapping.claim).toBe('groups');
    expect([...(config.oidc?.mapping.roles ?? [])]).toEqual([
      ['admins', 'admin'],
      ['devs', 'operator'],
      ['*', 'viewer'],
    ]);
    expect(config.oidc?.mapping.defaultRole).toBeNull();
    expect(config.oidc?.sessionMaxMs).toBe(12 * 3_600_000);
    expect(config.oidc?.redirectUri).toBeNull();
  });

  it('come from MCP_GATEWAY_OIDC_* variables, the client secret too, and flags win', () => {
    const config = resolveConfig(
      { oidcRoleClaim: 'roles' },
      {
        MCP_GATEWAY_OIDC_ISSUER: ISSUER,
        MCP_GATEWAY_OIDC_CLIENT_ID: 'gw',
        MCP_GATEWAY_OIDC_CLIENT_SECRET: 's3cret',
        MCP_GATEWAY_OIDC_ROLE_CLAIM: 'groups',
        MCP_GATEWAY_OIDC_DEFAULT_ROLE: 'Viewer',
        MCP_GATEWAY_OIDC_SESSION_MAX: '8h',
        MCP_GATEWAY_UI_IDLE_TIMEOUT: '15m',
        MCP_GATEWAY_OIDC_REDIRECT_URI: 'https://gw.example.com/ui/auth/callback',
      },
    );
    expect(config.oidc?.redirectUri).toBe('https://gw.example.com/ui/auth/callback');
    expect(config.oidc?.clientSecret).toBe('s3cret');
    expect(config.oidc?.mapping.claim).toBe('roles');
    expect(config.oidc?.mapping.defaultRole).toBe('viewer');
    expect(config.oidc?.sessionMaxMs).toBe(8 * 3_600_000);
    expect(config.uiIdleTimeoutMs).toBe(15 * 60_000);
  });

  it('read the client secret from a file, so that it never has to be on the command line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-gateway-oidc-'));
    try {
      writeFileSync(join(dir, 'secret'), 'from-a-file\n', { mode: 0o600 });
      const config = resolveConfig(
        { oidcIssuer: ISSUER, oidcClientId: 'gw', oidcDefaultRole: 'viewer' },
        { MCP_GATEWAY_OIDC_CLIENT_SECRET_FILE: join(dir, 'secret') },
      );
      expect(config.oidc?.clientSecret).toBe('from-a-file');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('accept plain http only for an issuer on this machine', () => {
    const local = (issuer: string) =>
      resolveConfig({ oidcIssuer: issuer, oidcClientId: 'gw', oidcDefaultRole: 'viewer' }, {}).oidc?.issuer
        .host;
    expect(local('http://127.0.0.1:8080')).toBe('127.0.0.1:8080');
    expect(local('http://localhost:8080')).toBe('localhost:8080');
  });

  it.each<[UserOptions, NodeJS.ProcessEnv, string]>([
    [{ oidcIssuer: ISSUER }, {}, '--oidc-issuer needs --oidc-client-id'],
    [{}, { MCP_GATEWAY_OIDC_CLIENT_ID: 'gw' }, 'MCP_GATEWAY_OIDC_CLIENT_ID is set without --oidc-issuer'],
    [
      { oidcIssuer: 'http://sso.example.com', oidcClientId: 'gw', oidcDefaultRole: 'viewer' },
      {},
      'must be an https URL',
    ],
    [{ oidcIssuer: 'not a url', oidcClientId: 'gw', oidcDefaultRole: 'viewer' }, {}, 'invalid --oidc-issuer'],
    [{ oidcIssuer: ISSUER, oidcClientId: 'gw' }, {}, 'would refuse everyone'],
    [
      { oidcIssuer: ISSUER, oidcClientId: 'gw', oidcRoles: 'admins=root' },
      {},
      '"admins=root" is not a claim value and a role',
    ],
    [{ oidcIssuer: ISSUER, oidcClientId: 'gw', oidcRoles: 'admins' }, {}, 'write value=role'],
    [
      { oidcIssuer: ISSUER, oidcClientId: 'gw', oidcDefaultRole: 'guest' },
      {},
      'use viewer, operator, admin or none',
    ],
    [
      {
        oidcIssuer: ISSUER,
        oidcClientId: 'gw',
        oidcDefaultRole: 'viewer',
        oidcClientSecretFile: '/no/such/file',
      },
      {},
      'cannot read --oidc-client-secret-file /no/such/file: ENOENT',
    ],
    [{ uiIdleTimeout: 'soon' }, {}, 'invalid --ui-idle-timeout "soon"'],
    [
      {
        oidcIssuer: ISSUER,
        oidcClientId: 'gw',
        oidcDefaultRole: 'viewer',
        oidcRedirectUri: 'https://gw.example.com/cb',
      },
      {},
      'ending in /ui/auth/callback',
    ],
    [{}, { MCP_GATEWAY_UI_IDLE_TIMEOUT: '0' }, 'invalid MCP_GATEWAY_UI_IDLE_TIMEOUT "0"'],
  ])('refuse %j %j with a message that names the fix', (options, env, message) => {
    expect(() => resolveConfig(options, env)).toThrow(ConfigError);
    expect(() => resolveConfig(options, env)).toThrow(message);
  });

  it('are flags of the gateway command', () => {
    const parsed = parseCli([
      '--oidc-issuer',
      ISSUER,
      '--oidc-client-id',
      'gw',
      '--oidc-client-secret-file',
      '/run/secrets/oidc',
      '--oidc-role-claim',
      'roles',
      '--oidc-roles',
      'admins=admin',
      '--oidc-default-role',
      'none',
      '--oidc-session-max',
      '8h',
      '--ui-idle-timeout',
      '10m',
    ]);
    expect(parsed).toMatchObject({
      command: 'serve',
      options: {
        oidcIssuer: ISSUER,
        oidcClientId: 'gw',
        oidcClientSecretFile: '/run/secrets/oidc',
        oidcRoleClaim: 'roles',
        oidcRoles: 'admins=admin',
        oidcDefaultRole: 'none',
        oidcSessionMax: '8h',
        uiIdleTimeout: '10m',
      },
    });
  });
});
