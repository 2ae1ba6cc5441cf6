import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { freePort } from '../helpers/ports.js';

describe('mcp-gateway with OpenID Connect flags', () => {
  it('starts with a provider it cannot reach, says so, and warns about a client secret on the command line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-gateway-oidc-cli-'));
    const issuer = `http://127.0.0.1:${await freePort()}`;
    const run = runCli([
      '--port',
      '0',
      '--storage-dir',
      dir,
      '--oidc-issuer',
      issuer,
      '--oidc-client-id',
      'gateway',
      '--oidc-client-secret',
      'visible-in-ps',
      '--oidc-roles',
      'admins=admin',
      '--ui-idle-timeout',
      '10m',
    ]);
    try {
      await run.waitFor(/Press Ctrl-C to stop/, 20_000);
      expect(run.stderr()).toContain('--oidc-client-secret shows in the process list');
      expect(run.stderr()).toContain(
        `OpenID Connect sign-in is unavailable: cannot read ${issuer}/.well-known`,
      );
      expect(run.stderr()).not.toContain('visible-in-ps');
    } finally {
      run.child.kill('SIGTERM');
      await run.exit();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses settings that would refuse everyone, naming the fix, before starting', async () => {
    const run = runCli(['--port', '0', '--oidc-issuer', 'https://sso.example.com', '--oidc-client-id', 'gw']);
    expect(await run.exit()).toBe(2);
    expect(run.stderr()).toContain('--oidc-roles');
  });
});
