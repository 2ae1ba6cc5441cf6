import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SdkServer, startSdkServer } from '../fixtures/sdk-server.js';
import { openBrowser, type TestBrowser } from '../helpers/browser.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { type ConnectedClient, connectClient } from '../helpers/mcp-client.js';
import { stdioServers } from '../helpers/stdio.js';
import { blockingViolations, describeViolations, setTheme } from './axe.js';
import { signedIn, trafficRow } from './support.js';

/**
 * Every screen and state of the web UI, checked with axe-core against WCAG 2.2 A/AA in the light and the
 * dark theme: a serious or critical violation (no name, too little contrast, a broken ARIA structure) fails.
 */
// axe reads every element of the page twice per state (both themes): slow on a busy 2-core machine.
describe('web UI: accessibility checks on every screen, in both themes', { timeout: 90_000 }, () => {
  let upstream: SdkServer;
  let gw: TestGateway;
  let browser: TestBrowser;
  let client: ConnectedClient;

  /** Checks the page as it is now in both themes; leaves it in the light theme. */
  async function expectAccessible(page: Page, state: string): Promise<void> {
    const found: string[] = [];
    // Every screen has one top-level heading and one main landmark to jump to (WCAG 1.3.1, 2.4.1).
    const structure = await page.evaluate(
      "[document.querySelectorAll('h1').length, document.querySelectorAll('main, [role=main]').length]",
    );
    if (JSON.stringify(structure) !== '[1,1]') found.push(`${state}: h1 and main counts are ${structure}`);
    for (const theme of ['light', 'dark'] as const) {
      await setTheme(page, theme);
      const violations = await blockingViolations(page);
      if (violations.length > 0) found.push(`${state}, ${theme} theme:\n${describeViolations(violations)}`);
    }
    await setTheme(page, 'light');
    expect.soft(found.join('\n\n')).toBe('');
  }

  beforeAll(async () => {
    upstream = await startSdkServer({ json: true });
    gw = await startTestGateway({ servers: { sdk: { type: 'http', url: upstream.url } } });
    browser = await signedIn(gw, '/ui/traffic');
  });

  afterAll(async () => {
    await client?.close();
    await browser?.close();
    await gw?.stop();
    await upstream?.stop();
  });

  it('sign-in', async () => {
    const other = await openBrowser();
    try {
      await other.page.goto(`${gw.url}/ui?token=wrong`);
      await other.page.getByRole('heading', { name: 'Sign in to MCP Gateway' }).waitFor();
      await expectAccessible(other.page, 'sign-in with a bad token');
    } finally {
      await other.close();
    }
  });

  it('Traffic with no traffic yet', async () => {
    const { page } = browser;
    await page.getByRole('heading', { name: 'No traffic yet' }).waitFor();
    await expectAccessible(page, 'Traffic, empty');
  });

  it('Traffic with rows', async () => {
    const { page } = browser;
    client ??= await connectClient(gw.proxyUrl('sdk'), 'axe-client');
    for (const ms of [5, 40]) await client.client.callTool({ name: 'slow', arguments: { ms } });
    await client.client.callTool({ name: 'echo', arguments: { message: 'hello' } });
    await client.client.callTool({ name: 'missing-tool', arguments: {} }).catch(() => undefined);
    await trafficRow(page, 'Echo: hello').waitFor();
    await expectAccessible(page, 'Traffic with rows');
  });

  it('Traffic with a record open, on each of its tabs', async () => {
    const { page } = browser;

    await trafficRow(page, 'echo(message: hello)').click();
    await page.getByRole('complementary', { name: 'Message detail' }).getByText('Request').first().waitFor();
    await expectAccessible(page, 'Traffic with a record open');
    await page.getByRole('tab', { name: 'headers' }).click();
    await expectAccessible(page, 'record headers');
    await page.getByRole('tab', { name: 'timing' }).click();
    await expectAccessible(page, 'record timing');
    await page.getByRole('button', { name: 'Close detail' }).click();
  });

  it('the filter: its help, its suggestions and a mistake pointed out', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Filter help' }).click();
    await page.getByRole('dialog', { name: 'Filter language' }).waitFor();
    await expectAccessible(page, 'filter help');
    await page.keyboard.press('Escape');

    await page.getByRole('combobox', { name: 'Filter' }).click();
    await page.getByRole('listbox', { name: 'Filter suggestions' }).waitFor();
    await expectAccessible(page, 'filter suggestions');
    await page.keyboard.press('Escape');

    await page.getByRole('combobox', { name: 'Filter' }).fill('sever:sdk');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').waitFor();
    await expectAccessible(page, 'a filter with a mistake');
    await page.getByRole('button', { name: 'Clear filter' }).click();
  });

  it('Traffic paused with new messages held, and the Clear dialog', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Pause live updates' }).click();
    client ??= await connectClient(gw.proxyUrl('sdk'), 'axe-client');
    await client.client.callTool({ name: 'echo', arguments: { message: 'held' } });
    await page
      .getByRole('button', { name: /^Resume/ })
      .getByText(/new/)
      .waitFor();
    await expectAccessible(page, 'Traffic paused with new messages held');
    await page.getByRole('button', { name: /^Resume/ }).click();

    await page.getByRole('button', { name: 'Clear…' }).click();
    await page.getByRole('dialog', { name: 'Delete all messages' }).waitFor();
    await expectAccessible(page, 'the Clear dialog');
    await page.keyboard.press('Escape');
  });

  it('Sessions: the list, and a session timeline with a message open', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Sessions' }).click();
    await page.getByRole('heading', { name: 'Read a session end to end' }).waitFor();
    await expectAccessible(page, 'Sessions list');
    await page.getByRole('navigation', { name: 'Sessions' }).getByRole('link').first().click();
    await page.getByRole('list', { name: 'Session timeline' }).waitFor();
    await expectAccessible(page, 'a session timeline');
    await page.getByRole('list', { name: 'Session timeline' }).getByRole('button').nth(2).click();
    await page.getByRole('complementary', { name: 'Message detail' }).waitFor();
    await expectAccessible(page, 'a message open in a session');
  });

  it('Servers: the list, a server page, and the add and edit dialogs', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Servers' }).click();
    await page.getByRole('heading', { name: 'sdk' }).waitFor();
    await expectAccessible(page, 'a server page');
    await page.getByRole('button', { name: 'Add server' }).click();
    await page.getByRole('dialog', { name: 'Add a server' }).waitFor();
    await expectAccessible(page, 'the add-server dialog');
    await page.getByRole('dialog').getByText('stdio (local command)').click();
    await expectAccessible(page, 'the add-server dialog for a command');
    await page.keyboard.press('Escape');
    // A stdio server's page adds its process output.
    await gw.register('local', stdioServers.fixture());
    await page.goto(`${gw.url}/ui/servers/local`);
    await page.getByRole('log', { name: 'stderr lines' }).getByText('fixture: started').waitFor();
    await expectAccessible(page, 'a stdio server page');
    await page.goto(`${gw.url}/ui/servers/sdk`);
    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByRole('dialog', { name: 'Edit sdk' }).waitFor();
    await expectAccessible(page, 'the edit dialog');
    await page.keyboard.press('Escape');
  });

  it('Insights with data', async () => {
    const { page } = browser;
    await gw.gateway.flushCapture();
    await page.getByRole('link', { name: 'Insights' }).click();
    await page.getByRole('img', { name: /Requests and errors over time/ }).waitFor();
    await expectAccessible(page, 'Insights');
    // The latency lines differ by more than colour, a key names them, and the numbers are there in words.
    const latency = page.getByRole('img', { name: 'Latency percentiles over time' });
    const dashes = await latency
      .locator('g > path')
      .evaluateAll((paths) => paths.map((p) => p.getAttribute('stroke-dasharray')));
    expect(new Set(dashes).size).toBe(3);
    const section = page.getByRole('region', { name: 'Latency over time' });
    expect(await section.getByRole('listitem').allTextContents()).toEqual(['p50', 'p95', 'p99']);
    expect(await latency.getAttribute('aria-describedby')).toBeTruthy();
    const table = page.getByRole('table', { name: 'Latency percentiles over time' });
    expect(await table.getByRole('columnheader').allTextContents()).toEqual(['Time', 'p50', 'p95', 'p99']);
    expect(await table.getByRole('row').count()).toBeGreaterThan(1);
    expect(await page.getByRole('img', { name: /^p50 .*, p95 .*, p99 / }).count()).toBeGreaterThan(0);
  });
});
