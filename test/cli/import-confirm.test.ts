// biome-ignore-all lint/suspicious/noTemplateCurlyInString: mcp.json references are written as ${...} in plain strings
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SecretStore } from '../../src/secrets/secret-store.js';
import { BIN } from '../helpers/cli.js';

const CURSOR = fileURLToPath(new URL('../fixtures/client-configs/cursor-mcp.json', import.meta.url));
const LITERAL = 'sk_cursorFixture0123456789abcdef';
const PROMPT = 'Apply these changes? [y/N] ';

/**
 * `mcp-gateway import cursor` on a real pseudo-terminal: util-linux `script` (Debian's essential bsdutils)
 * runs it with a pty as its stdin, stdout and stderr, as a terminal would, and passes on what we type.
 * Keys are typed once the prompt shows, as a person would.
 */
function importOnTerminal(
  storageDir: string,
  keys: string,
): Promise<{ code: number | null; screen: string }> {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, BIN, 'import', 'cursor', '--from', CURSOR, '--storage-dir', storageDir]
    .map(quote)
    .join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, MCP_GATEWAY_DB_KEY: undefined, TERM: 'dumb' },
  });
  let screen = '';
  let typed = false;
  const onOutput = (chunk: Buffer) => {
    screen += chunk.toString();
    if (!typed && screen.includes(PROMPT)) {
      typed = true;
      child.stdin.write(keys);
    }
  };
  child.stdout.on('data', onOutput);
  child.stderr.on('data', onOutput);
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, screen })));
}

describe('mcp-gateway import on a terminal: preview, then ask', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-gateway-import-tty-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['n and Enter', 'n\r'],
    ['Enter alone (the default is no)', '\r'],
    ['Ctrl-C', '\u0003'],
    ['Ctrl-D', '\u0004'],
  ])(
    '%s: shows what would change, then changes nothing',
    async (_, keys) => {
      const { code, screen } = await importOnTerminal(dir, keys);
      expect(screen).toContain('moves to the secret store as SEARCH_URL');
      expect(screen.indexOf('SEARCH_URL')).toBeLessThan(screen.indexOf(PROMPT));
      expect(screen).not.toContain(LITERAL);
      expect(screen).toMatch(/Nothing was changed\.\r?\n$/);
      expect(screen).not.toMatch(/error|at .*\(node:/i);
      expect(code).toBe(1);
      expect(readdirSync(dir)).toEqual([]);
    },
    30_000,
  );

  it('y and Enter: imports the servers and moves the literal secret into the secret store', async () => {
    const { code, screen } = await importOnTerminal(dir, 'y\r');
    expect(screen).toContain('Imported 2 servers; 1 secret moved to');
    expect(code).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, 'mcp.json'), 'utf8'));
    expect(json.mcpServers.search).toEqual({ url: '${secret:SEARCH_URL}' });
    expect(new SecretStore({ storageDir: dir }).get('SEARCH_URL')).toContain(LITERAL);
    for (const file of readdirSync(dir)) {
      expect(readFileSync(join(dir, file)).includes(LITERAL), file).toBe(false);
    }
  }, 30_000);
});
