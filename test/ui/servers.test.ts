import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SdkServer, startSdkServer } from '../fixtures/sdk-server.js';
import type { TestBrowser } from '../helpers/browser.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { connectClient } from '../helpers/mcp-client.js';
import { stdioServers } from '../helpers/stdio.js';
import { eventually, signedIn } from './support.js';

describe('web UI: servers', () => {
  let upstream: SdkServer;
  let gw: TestGateway;
  let browser: TestBrowser;

  beforeAll(async () => {
    upstream = await startSdkServer({ json: false });
    gw = await startTestGateway();
    browser = await signedIn(gw, '/ui/servers');
  });

  /** Opens the add form from the list's own button (the list shows once a server exists). */
  const openAddForm = async () => {
    await browser.page
      .getByRole('navigation', { name: 'Servers' })
      .getByRole('button', { name: 'Add server' })
      .click();
    return browser.page.getByRole('dialog', { name: 'Add a server' });
  };

  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
    await upstream?.stop();
  });

  it('adds an HTTP server from the UI, which clients can then call through the proxy', async () => {
    const { page } = browser;
    await page.getByRole('heading', { name: 'No servers yet' }).waitFor();
    await page.getByRole('button', { name: 'Add a server' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a server' });
    await dialog.getByLabel('Name', { exact: true }).fill('added');
    await dialog.getByLabel('URL', { exact: true }).fill(upstream.url);
    await dialog.getByRole('button', { name: 'Add header' }).click();
    await dialog.getByLabel('Headers name 1').fill('X-Upstream-Key');
    await dialog.getByLabel('Headers value 1').fill('secret-value-123456');
    await dialog.getByRole('button', { name: 'Add server' }).click();

    await page.getByRole('heading', { name: 'added' }).waitFor();
    // The list refreshes first, then the address follows to the new server's own page.
    await eventually(() => new URL(page.url()).pathname).toBe('/ui/servers/added');
    expect(await page.textContent('main')).toContain(gw.proxyUrl('added'));
    expect(await page.textContent('main')).not.toContain('secret-value-123456');

    const client = await connectClient(gw.proxyUrl('added'), 'after-adding');
    const result = await client.client.callTool({ name: 'echo', arguments: { message: 'via the UI' } });
    await client.close();
    expect(JSON.stringify(result)).toContain('Echo: via the UI');
    expect(upstream.received.at(-1)?.headers['x-upstream-key']).toBe('secret-value-123456');
    // The page follows the traffic live.
    const messages = page
      .getByRole('navigation', { name: 'Servers' })
      .getByRole('link')
      .filter({ hasText: 'added' });
    await eventually(() => messages.textContent()).toMatch(/[1-9]\d* msgs/);
    await page.getByRole('button', { name: 'Check now' }).click();
    await eventually(() =>
      page.getByRole('heading', { name: 'added' }).locator('..').textContent(),
    ).toContain('up');
  });

  it('gives ready-to-paste configurations for each client', async () => {
    const { page } = browser;
    const configs = page.getByRole('region', { name: 'Client configuration' });
    const panel = configs.getByRole('tabpanel');
    expect(await panel.textContent()).toContain(
      `claude mcp add --transport http added ${gw.proxyUrl('added')}`,
    );
    await configs.getByRole('tab', { name: 'Cursor' }).click();
    await eventually(() => panel.textContent()).toContain(`"url": "${gw.proxyUrl('added')}"`);
    await configs.getByRole('tab', { name: 'VS Code' }).click();
    await eventually(() => panel.textContent()).toContain('"type": "http"');
    await configs.getByRole('tab', { name: 'Claude Desktop', exact: true }).click();
    const port = new URL(gw.url).port;
    expect((await panel.textContent())?.replace(/\s+/g, '')).toContain(
      `"args":["connect","added","--port","${port}"]`,
    );
    await configs.getByRole('tab', { name: 'TypeScript SDK' }).click();
    await eventually(() => panel.textContent()).toContain(
      `new StreamableHTTPClientTransport(new URL('${gw.proxyUrl('added')}'))`,
    );
  });

  it('edits a server, keeping a secret that was not retyped', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit added' });
    expect(await dialog.getByLabel('Headers value 1').inputValue()).toBe('****3456');
    await dialog.getByRole('button', { name: 'Add header' }).click();
    await dialog.getByLabel('Headers name 2').fill('X-Team');
    await dialog.getByLabel('Headers value 2').fill('blue');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await eventually(() => dialog.count()).toBe(0);
    await eventually(() =>
      page.getByRole('region', { name: 'Configuration', exact: true }).textContent(),
    ).toContain('X-Team');
    const saved = JSON.parse(readFileSync(join(gw.storageDir, 'mcp.json'), 'utf8'));
    expect(saved.mcpServers.added.headers).toEqual({
      'X-Upstream-Key': 'secret-value-123456',
      'X-Team': 'blue',
    });
  });

  it('adds a stdio server, shows its stderr live, restarts it, edits and deletes it', async () => {
    const { page } = browser;
    const fixture = stdioServers.fixture();
    const dialog = await openAddForm();
    await dialog.getByLabel('Name', { exact: true }).fill('local');
    await dialog.getByText('stdio (local command)').click();
    await dialog.getByLabel('Command', { exact: true }).fill(fixture.command);
    await dialog.getByLabel('Arguments', { exact: true }).fill(fixture.args.join(' '));
    await dialog.getByRole('button', { name: 'Add environment variable' }).click();
    await dialog.getByLabel('Environment variables name 1').fill('FIXTURE_MODE');
    await dialog.getByLabel('Environment variables value 1').fill('ui test');
    await dialog.getByRole('button', { name: 'Add server' }).click();
    await page.getByRole('heading', { name: 'local' }).waitFor();
    const saved = () => JSON.parse(readFileSync(join(gw.storageDir, 'mcp.json'), 'utf8')).mcpServers;
    expect(saved().local).toEqual({
      type: 'stdio',
      command: fixture.command,
      args: fixture.args,
      env: { FIXTURE_MODE: 'ui test' },
    });

    // A shared server starts at once; what it writes to stderr shows up as it comes.
    const stderr = page.getByRole('region', { name: 'stderr' });
    const starts = async () =>
      ((await stderr.textContent()) ?? '').match(/fixture: started pid/g)?.length ?? 0;
    await eventually(starts).toBe(1);
    await page.getByRole('button', { name: 'Restart' }).click();
    await eventually(() => page.textContent('main')).toContain('Restarting local');
    await eventually(starts).toBe(2);

    await page.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit local' });
    expect(await edit.getByLabel('Arguments', { exact: true }).inputValue()).toBe(fixture.args.join(' '));
    await edit.getByLabel('Session mode').selectOption('isolated');
    await edit.getByRole('button', { name: 'Save' }).click();
    await eventually(() => saved().local.sessionMode).toBe('isolated');

    await page.getByRole('button', { name: 'Delete…' }).click();
    await page
      .getByRole('dialog', { name: 'Delete local' })
      .getByRole('button', { name: 'Delete server' })
      .click();
    await eventually(() =>
      page.getByRole('navigation', { name: 'Servers' }).getByRole('link').allTextContents(),
    ).toHaveLength(1);
    expect(saved().local).toBeUndefined();
  });

  it('says what is wrong with a server the gateway refuses', async () => {
    const dialog = await openAddForm();
    await dialog.getByLabel('Name', { exact: true }).fill('added');
    await dialog.getByLabel('URL', { exact: true }).fill('http://localhost:1/mcp');
    await dialog.getByRole('button', { name: 'Add server' }).click();
    await eventually(() => dialog.getByRole('alert').textContent()).toMatch(/added/);
    // A name the gateway would refuse is pointed out on the field itself, before anything is sent.
    const name = dialog.getByLabel('Name', { exact: true });
    await name.fill('Bad Name');
    expect(await dialog.getByRole('alert').count()).toBe(0);
    await eventually(() => name.getAttribute('aria-invalid')).toBe('true');
    const describedBy = String(await name.getAttribute('aria-describedby'));
    expect(await dialog.locator(`[id="${describedBy}"]`).textContent()).toContain('lower-case letters');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('moves through the servers with j/k and the arrows, the page following and the selected one kept in view', async () => {
    const { page } = browser;
    const names = ['keys-1', 'keys-2', 'keys-3', 'keys-4', 'keys-5', 'keys-6'];
    for (const name of names) await gw.register(name, { type: 'http', url: upstream.url });
    const list = page.getByRole('navigation', { name: 'Servers' });
    await list.getByRole('link').filter({ hasText: 'added' }).click();
    await eventually(() => list.getByRole('link').count()).toBe(names.length + 1);
    const inView = (name: string) =>
      list
        .getByRole('link')
        .filter({ hasText: name })
        .evaluate((row) => {
          const box = row.getBoundingClientRect();
          const scroller = row.closest('ul')?.getBoundingClientRect();
          // Rows are a fraction of a pixel tall, so a row scrolled fully in may still end a little below.
          return scroller !== undefined && box.top >= scroller.top - 1 && box.bottom <= scroller.bottom + 1;
        });
    const shown = async (name: string) => {
      await eventually(() => new URL(page.url()).pathname).toBe(`/ui/servers/${name}`);
      await page.getByRole('heading', { name }).waitFor();
      await eventually(() => list.locator('[aria-current=page]').textContent()).toContain(name);
    };

    // A short window, so the list scrolls.
    await page.setViewportSize({ width: 1440, height: 420 });
    try {
      await eventually(() => inView('keys-6')).toBe(false);
      await page.keyboard.press('j');
      await shown('keys-1');
      await page.keyboard.press('k');
      await shown('added');
      await page.keyboard.press('ArrowDown');
      await shown('keys-1');
      for (const name of names.slice(1)) {
        await page.keyboard.press('j');
        await shown(name);
      }
      await eventually(() => inView('keys-6')).toBe(true);
      await page.keyboard.press('ArrowUp');
      await shown('keys-5');
      for (const name of ['keys-4', 'keys-3', 'keys-2', 'keys-1', 'added']) {
        await page.keyboard.press('k');
        await shown(name);
      }
      await eventually(() => inView('added')).toBe(true);
    } finally {
      await page.setViewportSize({ width: 1440, height: 900 });
    }
  });

  it('leaves j/k to the add form while it is open', async () => {
    const { page } = browser;
    const dialog = await openAddForm();
    const nameField = dialog.getByLabel('Name', { exact: true });
    await nameField.click();
    await page.keyboard.type('jk');
    await eventually(() => nameField.inputValue()).toBe('jk');
    expect(new URL(page.url()).pathname).toBe('/ui/servers/added');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await eventually(() => dialog.count()).toBe(0);
  });

  it('has no console errors other than the refused duplicate', () => {
    // Adding a server that exists is answered 409, which the browser logs as a failed request.
    expect(browser.errors.filter((e) => !e.includes('status of 409'))).toEqual([]);
  });
});
