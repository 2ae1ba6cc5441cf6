// biome-ignore-all lint/suspicious/noTemplateCurlyInString: mcp.json references are written as ${...} in plain strings
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestBrowser } from '../helpers/browser.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { signedIn } from './support.js';

describe('web UI: "Store as secret" in the server form', () => {
  let gw: TestGateway;
  let browser: TestBrowser;

  beforeAll(async () => {
    gw = await startTestGateway({ healthInterval: 0 });
    browser = await signedIn(gw, '/ui/servers');
  });

  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
  });

  it('moves a header value into the secret store and saves only the reference in mcp.json', async () => {
    const value = 'Bearer ui-secret-5e4d3c2b1a09';
    const { page } = browser;
    await page.getByRole('button', { name: 'Add a server' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a server' });
    await dialog.getByLabel('Name', { exact: true }).fill('github');
    await dialog.getByLabel('URL', { exact: true }).fill('http://127.0.0.1:9/mcp');
    await dialog.getByRole('button', { name: 'Add header' }).click();
    await dialog.getByLabel('Headers name 1', { exact: true }).fill('Authorization');
    await dialog.getByLabel('Headers value 1', { exact: true }).fill(value);
    await dialog.getByRole('button', { name: 'Store as secret (Headers 1)' }).click();
    await expect
      .poll(() => dialog.getByLabel('Headers value 1', { exact: true }).inputValue())
      .toBe('${secret:GITHUB_AUTHORIZATION}');
    await dialog.getByRole('button', { name: 'Add server' }).click();
    await page.getByRole('heading', { name: 'github' }).waitFor();

    const saved = JSON.parse(readFileSync(join(gw.storageDir, 'mcp.json'), 'utf8')) as {
      mcpServers: Record<string, { headers: Record<string, string> }>;
    };
    expect(saved.mcpServers.github?.headers).toEqual({ Authorization: '${secret:GITHUB_AUTHORIZATION}' });
    for (const file of readdirSync(gw.storageDir)) {
      if (file.startsWith('logs.db')) continue;
      expect(readFileSync(join(gw.storageDir, file)).includes('ui-secret-5e4d3c2b1a09'), file).toBe(false);
    }
    const names = (await (await gw.api('/api/secrets')).json()) as { names: string[] };
    expect(names.names).toEqual(['GITHUB_AUTHORIZATION']);
  });
});
