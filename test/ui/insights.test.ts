import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SdkServer, startSdkServer } from '../fixtures/sdk-server.js';
import type { TestBrowser } from '../helpers/browser.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { connectClient } from '../helpers/mcp-client.js';
import { eventually, expectNoSidewaysScroll, signedIn } from './support.js';

describe('web UI: insights, and every screen on a laptop', () => {
  let upstream: SdkServer;
  let gw: TestGateway;
  let browser: TestBrowser;

  beforeAll(async () => {
    upstream = await startSdkServer({ json: true });
    gw = await startTestGateway({ servers: { sdk: { type: 'http', url: upstream.url } } });
    const client = await connectClient(gw.proxyUrl('sdk'), 'insights-client');
    for (const ms of [5, 10, 300]) await client.client.callTool({ name: 'slow', arguments: { ms } });
    await client.client.callTool({ name: 'echo', arguments: { message: 'quick' } });
    await client.client.callTool({ name: 'missing-tool', arguments: {} });
    await client.close();
    await gw.gateway.flushCapture();
    browser = await signedIn(gw, '/ui/insights');
  });

  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
    await upstream?.stop();
  });

  it('charts requests, errors and latency over time from the statistics', async () => {
    const { page } = browser;
    const requests = page.getByRole('img', { name: 'Requests and errors over time' });
    await requests.waitFor();
    expect(await requests.locator('rect[class*=fill-sky]').count()).toBeGreaterThan(0);
    expect(await requests.locator('rect[class*=fill-red]').count()).toBeGreaterThan(0);
    const latency = page.getByRole('img', { name: 'Latency percentiles over time' });
    expect(await latency.locator('path').count()).toBe(3);
    const totals = (await page.textContent('main'))?.replace(/\s+/g, ' ') ?? '';
    expect(totals).toMatch(/Requests\s*\d+/);
    expect(totals).toMatch(/Errors\s*1 ·/);
  });

  it('ranks the slowest and the most failing methods, and breaks latency down per server and method', async () => {
    const { page } = browser;
    const slowest = page.getByRole('region', { name: 'Slowest methods (p95)' });
    expect(await slowest.getByRole('listitem').allTextContents()).toContainEqual(
      expect.stringMatching(/^sdk · tools\/call3\d\d ms$/),
    );
    const failing = page.getByRole('region', { name: 'Most failing methods' });
    expect(await failing.textContent()).toContain('sdk · tools/call');
    const perServer = page.getByRole('region', { name: 'Per server' });
    expect(await perServer.getByRole('row').filter({ hasText: 'sdk' }).textContent()).toMatch(/ms/);
    const perMethod = page.getByRole('region', { name: 'Per method' });
    expect(await perMethod.getByRole('row').filter({ hasText: 'sdk · initialize' }).count()).toBe(1);
  });

  it('narrows the charts with the filter and the time range, both kept in the URL', async () => {
    const { page } = browser;
    const input = page.getByRole('combobox', { name: 'Filter' });
    await input.fill('method:initialize');
    await input.press('Enter');
    await eventually(() => page.getByRole('region', { name: 'Per method' }).getByRole('row').count()).toBe(2);
    await page.getByRole('button', { name: '15m' }).click();
    await eventually(() => new URL(page.url()).search).toBe('?filter=method%3Ainitialize&range=15m');
    await eventually(() => page.getByRole('button', { name: '15m' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
  });

  it('fits a 1366×768 laptop screen on every screen, detail panel open too', async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 1366, height: 768 });
    for (const path of ['/ui/traffic', '/ui/sessions', '/ui/servers/sdk', '/ui/insights']) {
      await page.goto(`${gw.url}${path}`);
      await page.getByRole('navigation', { name: 'Screens' }).waitFor();
      await page.waitForLoadState('networkidle');
      await expectNoSidewaysScroll(page);
    }
    await page.goto(`${gw.url}/ui/traffic`);
    await page.getByRole('grid', { name: 'Traffic' }).getByRole('row').nth(3).click();
    await page.getByRole('complementary', { name: 'Message detail' }).waitFor();
    await expectNoSidewaysScroll(page);
    const box = await page.getByRole('button', { name: 'Close detail' }).boundingBox();
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(1366);
  });

  it('has no console errors', () => {
    expect(browser.errors).toEqual([]);
  });
});
