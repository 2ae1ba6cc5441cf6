import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SdkServer, startSdkServer } from '../fixtures/sdk-server.js';
import type { TestBrowser } from '../helpers/browser.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { type ConnectedClient, connectClient } from '../helpers/mcp-client.js';
import { makeRecord } from '../helpers/records.js';
import { blockingViolationsInBothThemes } from './axe.js';
import { eventually, signedIn, writeRecords } from './support.js';

/** What a new user trips over on the Sessions, Servers and Insights screens. */
describe('web UI: rough edges', () => {
  let upstream: SdkServer;
  let gw: TestGateway;
  let browser: TestBrowser;
  let client: ConnectedClient;

  beforeAll(async () => {
    upstream = await startSdkServer({ json: true });
    gw = await startTestGateway({ servers: { sdk: { type: 'http', url: upstream.url } } });
    client = await connectClient(gw.proxyUrl('sdk'), 'a-client-with-a-rather-long-name');
    await client.client.callTool({ name: 'echo', arguments: { message: 'read me in the timeline' } });
    browser = await signedIn(gw, '/ui/sessions');
  });

  afterAll(async () => {
    await client?.close();
    await browser?.close();
    await gw?.stop();
    await upstream?.stop();
  });

  it('keeps the session timeline readable with the detail open, which does not link to where you are', async () => {
    const { page } = browser;
    await page
      .getByRole('navigation', { name: 'Sessions' })
      .getByRole('link')
      .filter({ hasText: 'a-client-with-a-rather-long-name' })
      .click();
    const timeline = page.getByRole('list', { name: 'Session timeline' });
    const row = timeline.getByRole('button', { name: /echo\(message: read me in the timeline\)/ });
    await row.click();
    const detail = page.getByRole('complementary', { name: 'Message detail' });
    await detail.getByRole('region', { name: 'Response' }).waitFor();
    expect(await detail.getByRole('link', { name: 'Session timeline' }).count()).toBe(0);

    // The summary has the room: a call's summary is shown whole, not cut to "echo(mes…".
    const summary = row.locator('span.truncate[title]');
    expect(await summary.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    expect(await summary.evaluate((el) => el.clientWidth)).toBeGreaterThan(200);
    // A long one is cut, with all of it (and its method) in the tooltip.
    const initialize = timeline.getByRole('button', { name: /^.*initialize a-client/ }).first();
    expect(await initialize.locator('span.truncate[title]').getAttribute('title')).toMatch(
      /^initialize: initialize a-client-with-a-rather-long-name/,
    );

    // From Traffic, the detail still leads to the session.
    await page.goto(`${gw.url}/ui/traffic`);
    await page
      .getByRole('grid', { name: 'Traffic' })
      .getByRole('row')
      .filter({ hasText: 'read me' })
      .first()
      .click();
    await detail.getByRole('link', { name: 'Session timeline' }).waitFor();
  });

  it('shows each mistake of the add-server form on its field, and examples that do not look filled in', async () => {
    const { page } = browser;
    await page.goto(`${gw.url}/ui/servers?add=1`);
    const dialog = page.getByRole('dialog', { name: 'Add a server' });
    const name = dialog.getByLabel('Name', { exact: true });
    const url = dialog.getByLabel('URL', { exact: true });
    const description = async (field: typeof name) => {
      const id = await field.getAttribute('aria-describedby');
      return id ? dialog.locator(`[id="${id}"]`).textContent() : null;
    };

    expect(await url.getAttribute('placeholder')).toBe('e.g. http://localhost:3001/mcp');
    expect(
      await url.evaluate(
        (el) => el.ownerDocument.defaultView?.getComputedStyle(el, '::placeholder').fontStyle,
      ),
    ).toBe('italic');

    await name.fill('Every Thing');
    await eventually(() => name.getAttribute('aria-invalid')).toBe('true');
    expect(await description(name)).toContain('lower-case letters');
    expect(await dialog.textContent()).not.toContain('/s/Every Thing/mcp');

    await name.fill('everything');
    expect(await name.getAttribute('aria-invalid')).toBeNull();
    expect(await description(name)).toContain(`${gw.url.replace('127.0.0.1', 'localhost')}/s/everything/mcp`);
    await dialog.getByRole('button', { name: 'Add server' }).click();
    // The URL is missing: said on the URL field, which gets the focus; nothing at the bottom.
    await eventually(() => url.getAttribute('aria-invalid')).toBe('true');
    expect(await description(url)).toContain('starts with http:// or https://');
    await eventually(() => url.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    expect(await dialog.getByRole('alert').count()).toBe(0);
    expect(await blockingViolationsInBothThemes(page)).toBe('');
    await url.fill('http://localhost:3001/mcp');
    await eventually(() => url.getAttribute('aria-invalid')).toBeNull();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('says that an HTTP server is not restarted, only its connections dropped', async () => {
    const { page } = browser;
    await page.goto(`${gw.url}/ui/servers/sdk`);
    expect(await page.getByRole('button', { name: 'Restart' }).count()).toBe(0);
    const drop = page.getByRole('button', { name: 'Drop connections' });
    expect(await drop.getAttribute('title')).toContain('the remote server itself keeps running');
    await drop.click();
    await eventually(() => page.textContent('main')).toContain("Dropped the gateway's connections to sdk");
  });

  it('leaves servers without requests in the range out of Insights', async () => {
    const { page } = browser;
    // A server that only wrote to stderr in the range.
    writeRecords(gw, [
      makeRecord({
        server: 'quiet',
        sessionId: null,
        direction: 'server_to_client',
        kind: 'stderr',
        method: null,
        jsonrpcId: undefined,
        httpMethod: null,
        httpStatus: null,
        transport: 'stdio',
        summary: 'starting up',
        message: 'starting up',
      }),
    ]);
    await page.goto(`${gw.url}/ui/insights`);
    const perServer = page.getByRole('region', { name: 'Per server' });
    await perServer.getByRole('row').filter({ hasText: 'sdk' }).waitFor();
    expect(await perServer.getByRole('row').filter({ hasText: 'quiet' }).count()).toBe(0);
  });

  it('reports a broken mcp.json once, and its repair as news, not a warning', async () => {
    const { page } = browser;
    const path = join(gw.storageDir, 'mcp.json');
    const good = readFileSync(path, 'utf8');
    await page.goto(`${gw.url}/ui/servers`);
    writeFileSync(path, '{"mcpServers": {"sdk": {"type": "http"}}}');
    const banner = page.getByRole('alert').filter({ hasText: 'mcp.json' });
    await eventually(() => banner.count()).toBe(1);
    const text = String(await banner.textContent());
    expect(text.split(path).length - 1).toBe(1);
    expect(text.split('last good configuration').length - 1).toBe(1);
    expect(text).toContain('Changes here are refused until the file is fixed by hand.');
    expect(await blockingViolationsInBothThemes(page)).toBe('');

    writeFileSync(path, good);
    await eventually(() => banner.count()).toBe(0);
    await eventually(() => gw.messages.filter((m) => m.includes('is valid again'))).toEqual([
      `${path} is valid again; configuration reloaded`,
    ]);
  });

  it('has no console errors', () => {
    expect(browser.errors).toEqual([]);
  });
});
