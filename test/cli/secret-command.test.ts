// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the CLI prints mcp.json references, ${secret:NAME}
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';

/** The real CLI (built: `npm run build` first), its value piped on stdin the way a script would. */
function secret(args: string[], input = '', env: Record<string, string | undefined> = {}) {
  const run = spawnSync(process.execPath, [BIN, 'secret', ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, MCP_GATEWAY_DB_KEY: undefined, ...env },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('mcp-gateway secret set|list|rm', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-gateway-secret-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('stores values encrypted, lists names only, and removes them', async () => {
    const value = 'ghp_SecretMarker7f3a9c2b1d0e';
    const set = secret(['set', 'GITHUB_TOKEN', '--storage-dir', dir], `${value}\n`);
    expect(set.stderr).toBe('');
    expect(set.code).toBe(0);
    expect(set.stdout).toContain('${secret:GITHUB_TOKEN}');
    expect(secret(['set', 'OTHER', '--storage-dir', dir], 'x-other-value').code).toBe(0);

    // No file in the storage dir holds the value in clear; secrets.json and its key are private.
    for (const file of readdirSync(dir)) {
      expect(readFileSync(join(dir, file)).includes(value), file).toBe(false);
      expect(statSync(join(dir, file)).mode & 0o777, file).toBe(0o600);
    }
    expect(readFileSync(join(dir, 'secrets.json'), 'utf8')).toContain('"GITHUB_TOKEN"');

    const list = secret(['list', '--storage-dir', dir]);
    expect(list.code).toBe(0);
    expect(list.stdout).toBe('GITHUB_TOKEN\nOTHER\n');

    // The value reaches whoever reads the store with the same key (what a running gateway does).
    const { SecretStore } = await import('../../src/secrets/secret-store.js');
    expect(new SecretStore({ storageDir: dir }).get('GITHUB_TOKEN')).toBe(value);

    const rm = secret(['rm', 'GITHUB_TOKEN', '--storage-dir', dir]);
    expect(rm.code).toBe(0);
    expect(secret(['list', '--storage-dir', dir]).stdout).toBe('OTHER\n');
    const again = secret(['rm', 'GITHUB_TOKEN', '--storage-dir', dir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('no secret named GITHUB_TOKEN');
  });

  it('refuses a value given as an argument, an empty value, and a key other than the one that wrote it', () => {
    const argument = secret(['set', 'TOKEN', 'hunter2-value', '--storage-dir', dir]);
    expect(argument.code).toBe(2);
    expect(argument.stderr).toContain('never given as an argument');
    const empty = secret(['set', 'TOKEN', '--storage-dir', dir], '');
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('no value given for TOKEN; nothing was stored');

    expect(
      secret(['set', 'TOKEN', '--storage-dir', dir], 'v1', { MCP_GATEWAY_DB_KEY: 'passphrase one' }).code,
    ).toBe(0);
    const wrong = secret(['set', 'TOKEN2', '--storage-dir', dir], 'v2', {
      MCP_GATEWAY_DB_KEY: 'passphrase two',
    });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('was encrypted with another key');
    expect(secret(['list', '--storage-dir', dir]).stdout).toBe('TOKEN\n');
  });
});
