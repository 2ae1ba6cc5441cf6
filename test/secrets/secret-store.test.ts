import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SecretStore } from '../../src/secrets/secret-store.js';

describe('the secret store', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-gateway-secrets-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('seals each value to its name: an entry moved to another name is refused as damaged', () => {
    const store = new SecretStore({ storageDir: dir, env: {} });
    store.set('A', 'value-a');
    store.set('B', 'value-b');
    const path = join(dir, 'secrets.json');
    const file = JSON.parse(readFileSync(path, 'utf8'));
    file.secrets.B = file.secrets.A;
    writeFileSync(path, JSON.stringify(file));
    expect(() => new SecretStore({ storageDir: dir, env: {} }).get('A')).toThrow(
      /secret B in .* is damaged: set it again/,
    );
  });

  it('a second reader sees a value set by another at once (what a running gateway relies on)', () => {
    const gateway = new SecretStore({ storageDir: dir, env: { MCP_GATEWAY_DB_KEY: 'pass' } });
    expect(gateway.get('TOKEN')).toBeUndefined();
    new SecretStore({ storageDir: dir, env: { MCP_GATEWAY_DB_KEY: 'pass' } }).set('TOKEN', 'one');
    expect(gateway.get('TOKEN')).toBe('one');
    new SecretStore({ storageDir: dir, env: { MCP_GATEWAY_DB_KEY: 'pass' } }).set('TOKEN', 'two-longer');
    expect(gateway.get('TOKEN')).toBe('two-longer');
  });

  it('says so when the key the store was written with is missing', () => {
    new SecretStore({ storageDir: dir, env: { MCP_GATEWAY_DB_KEY: 'pass' } }).set('TOKEN', 'v');
    expect(() => new SecretStore({ storageDir: dir, env: {} }).get('TOKEN')).toThrow(
      /holds secrets but their key is missing \(it was MCP_GATEWAY_DB_KEY\)/,
    );
  });
});
