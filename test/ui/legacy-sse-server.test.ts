import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestBrowser } from '../helpers/browser.js';
import { type RunningEverything, startEverything } from '../helpers/everything.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { connectClient } from '../helpers/mcp-client.js';
import { eventually, signedIn } from './support.js';

describe('web UI: a legacy HTTP+SSE server', () => {
  let legacy: RunningEverything;
  let gw: TestGateway;
  let browser: TestBrowser;

  beforeAll(async () => {
    legacy = await startEverything(undefined, 'sse');
    gw = await startTestGateway({ healthInterval: 0 });
    browser = await signedIn(gw, '/ui/servers');
  });

  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
    await legacy?.stop();
  });

  it('is added with the legacy box ticked, saved as type "sse", and reachable over Streamable HTTP', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Add a server' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a server' });
    await dialog.getByLabel('Name', { exact: true }).fill('legacy');
    await dialog.getByLabel('URL', { exact: true }).fill(legacy.url);
    await dialog.getByLabel('Legacy HTTP+SSE server (MCP 2024-11-05)').check();
    await dialog.getByRole('button', { name: 'Add server' }).click();
    await page.getByRole('heading', { name: 'legacy' }).waitFor();

    const saved = JSON.parse(readFileSync(join(gw.storageDir, 'mcp.json'), 'utf8')) as {
      mcpServers: Record<string, { type: string; url: string }>;
    };
    expect(saved.mcpServers.legacy).toEqual({ type: 'sse', url: legacy.url });
    await page.getByRole('button', { name: 'Check now' }).click();
    await eventually(() =>
      page.getByRole('heading', { name: 'legacy' }).locator('..').textContent(),
    ).toContain('up');

    const client = await connectClient(gw.proxyUrl('legacy'));
    const result = await client.client.callTool({ name: 'echo', arguments: { message: 'added in the UI' } });
    await client.close();
    expect(JSON.stringify(result)).toContain('Echo: added in the UI');
  });
});
