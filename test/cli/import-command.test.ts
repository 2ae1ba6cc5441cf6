// biome-ignore-all lint/suspicious/noTemplateCurlyInString: mcp.json references are written as ${...} in plain strings
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SecretStore } from '../../src/secrets/secret-store.js';
import { BIN } from '../helpers/cli.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/client-configs/', import.meta.url));

function gateway(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const run = spawnSync(process.execPath, [BIN, ...args], {
    input: '',
    encoding: 'utf8',
    cwd: options.cwd,
    env: { ...process.env, MCP_GATEWAY_DB_KEY: undefined, ...options.env },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

type McpJson = { mcpServers: Record<string, Record<string, unknown>> };

const cases = [
  {
    client: 'claude-desktop',
    file: 'claude_desktop_config.json',
    literal: 'ghp_desktopFixture0123456789abcdefABCDEF',
    secrets: ['GITHUB_PERSONAL_ACCESS_TOKEN'],
    check: (json: McpJson) => {
      expect(json.mcpServers.memory).toEqual({
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-memory'],
      });
      expect(json.mcpServers.github?.env).toEqual({
        GITHUB_PERSONAL_ACCESS_TOKEN: '${secret:GITHUB_PERSONAL_ACCESS_TOKEN}',
      });
    },
  },
  {
    client: 'claude-code',
    file: 'claude-code.json',
    literal: 'lin_api_codeFixture0123456789',
    secrets: ['LINEAR_AUTHORIZATION'],
    check: (json: McpJson) => {
      expect(json.mcpServers.linear).toEqual({
        type: 'http',
        url: 'https://mcp.linear.app/mcp',
        headers: { Authorization: '${secret:LINEAR_AUTHORIZATION}' },
      });
      expect(json.mcpServers.elsewhere).toBeUndefined();
    },
  },
  {
    client: 'cursor',
    file: 'cursor-mcp.json',
    literal: 'sk_cursorFixture0123456789abcdef',
    secrets: ['SEARCH_URL'],
    check: (json: McpJson) => {
      expect(json.mcpServers.search).toEqual({ url: '${secret:SEARCH_URL}' });
      expect(json.mcpServers.files?.args).toEqual([
        '-y',
        '@modelcontextprotocol/server-filesystem',
        '/home/me/projects',
      ]);
    },
  },
  {
    client: 'vscode',
    file: 'vscode-mcp.jsonc',
    literal: 'wk_vscodeFixture0123456789abcdef',
    secrets: ['WEATHER_ARGS_1'],
    check: (json: McpJson) => {
      expect(json.mcpServers.github?.headers).toEqual({ Authorization: 'Bearer ${secret:GITHUB_PAT}' });
      expect(json.mcpServers.weather?.args).toEqual([
        join(FIXTURES, '..', 'weather', 'index.js'),
        '--api-key=${secret:WEATHER_ARGS_1}',
      ]);
      expect(json.mcpServers.weather?.env).toEqual({ REGION: 'eu', HOME_DIR: '${env:HOME}' });
    },
  },
] as const;

describe('mcp-gateway import', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-gateway-import-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each(cases)(
    '$client: previews, changes nothing on --dry-run, then moves secrets out of mcp.json',
    (c) => {
      const from = join(FIXTURES, c.file);
      const dry = gateway(['import', c.client, '--from', from, '--dry-run', '--storage-dir', dir]);
      expect(dry.stderr).toBe('');
      expect(dry.code).toBe(0);
      for (const secret of c.secrets) expect(dry.stdout).toContain(`moves to the secret store as ${secret}`);
      expect(dry.stdout).toContain('Dry run: nothing was changed.');
      expect(dry.stdout).not.toContain(c.literal);
      expect(existsSync(join(dir, 'mcp.json'))).toBe(false);

      // Without a terminal to ask on, nothing happens without --yes.
      const unconfirmed = gateway(['import', c.client, '--from', from, '--storage-dir', dir]);
      expect(unconfirmed.code).toBe(1);
      expect(unconfirmed.stderr).toContain('run again with --yes');
      expect(existsSync(join(dir, 'mcp.json'))).toBe(false);

      const applied = gateway(['import', c.client, '--from', from, '--yes', '--storage-dir', dir]);
      expect(applied.code).toBe(0);
      const json = JSON.parse(readFileSync(join(dir, 'mcp.json'), 'utf8')) as McpJson;
      c.check(json);
      for (const file of readdirSync(dir)) {
        expect(readFileSync(join(dir, file)).includes(c.literal), file).toBe(false);
      }
      const store = new SecretStore({ storageDir: dir });
      expect(store.names()).toEqual([...c.secrets]);
      expect(store.get(c.secrets[0])).toContain(c.literal);

      // Importing again adds nothing and overwrites nothing.
      const again = gateway(['import', c.client, '--from', from, '--yes', '--storage-dir', dir]);
      expect(again.stdout).toContain('already registered');
      expect(again.stdout).toContain('Nothing to add.');
    },
  );

  it('vscode: names the inputs the owner must set as secrets', () => {
    const run = gateway([
      'import',
      'vscode',
      '--from',
      join(FIXTURES, 'vscode-mcp.jsonc'),
      '--dry-run',
      '--storage-dir',
      dir,
    ]);
    expect(run.stdout).toContain(
      'asks for "GitHub Personal Access Token" when it starts: set it with mcp-gateway secret set GITHUB_PAT',
    );
  });

  it('claude-code: reads ~/.claude.json and the project .mcp.json, where Claude Code keeps them', () => {
    const home = join(dir, 'home');
    const project = join(dir, 'project');
    mkdirSync(home);
    mkdirSync(project);
    copyFileSync(join(FIXTURES, 'claude-code.json'), join(home, '.claude.json'));
    copyFileSync(join(FIXTURES, 'cursor-mcp.json'), join(project, '.mcp.json'));
    const storage = join(dir, 'storage');
    const run = gateway(['import', 'claude-code', '--yes', '--storage-dir', storage], {
      cwd: project,
      env: { HOME: home },
    });
    expect(run.code).toBe(0);
    const json = JSON.parse(readFileSync(join(storage, 'mcp.json'), 'utf8')) as McpJson;
    expect(Object.keys(json.mcpServers).sort()).toEqual(['files', 'linear', 'search']);
  });
});
