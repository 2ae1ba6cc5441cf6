import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SdkServer, startSdkServer } from '../fixtures/sdk-server.js';
import type { TestBrowser } from '../helpers/browser.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { type ConnectedClient, connectClient } from '../helpers/mcp-client.js';
import { eventually, markPage, signedIn, trafficRow, trafficSummaries } from './support.js';

describe('web UI: traffic', () => {
  let upstream: SdkServer;
  let gw: TestGateway;
  let browser: TestBrowser;
  let client: ConnectedClient;
  const echo = (message: string) => client.client.callTool({ name: 'echo', arguments: { message } });

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

  it('teaches the next step while there is no traffic: the real proxy URL to point a client at', async () => {
    const { page } = browser;
    await page.getByRole('heading', { name: 'No traffic yet' }).waitFor();
    expect(await page.textContent('main')).toContain(gw.proxyUrl('sdk'));
    expect(await page.textContent('main')).toContain(
      `claude mcp add --transport http sdk ${gw.proxyUrl('sdk')}`,
    );
  });

  it('shows calls through the proxy as they happen, newest first, without a reload', async () => {
    const { page } = browser;
    const sameDocument = await markPage(page);
    client = await connectClient(gw.proxyUrl('sdk'), 'ui-test-client');
    await echo('first');
    await echo('second');
    await trafficRow(page, 'Echo: second').waitFor();
    const summaries = await trafficSummaries(page);
    expect(summaries.indexOf('Echo: second')).toBeLessThan(summaries.indexOf('echo(message: second)'));
    expect(summaries.indexOf('echo(message: second)')).toBeLessThan(summaries.indexOf('Echo: first'));
    const row = await trafficRow(page, 'echo(message: first)').textContent();
    expect(row).toContain('sdk');
    expect(row).toContain('ui-test-client');
    expect(row).toContain('tools/call');
    expect(await sameDocument()).toBe(true);
  });

  it('holds new rows while paused, counting them, and shows them on resume', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Pause live updates' }).click();
    await echo('while paused');
    const resume = page.getByRole('button', { name: /^Resume/ });
    await eventually(() => resume.textContent()).toContain('2 new');
    expect(await trafficRow(page, 'echo(message: while paused)').count()).toBe(0);
    await resume.click();
    await trafficRow(page, 'echo(message: while paused)').waitFor();
    await page.getByRole('button', { name: 'Pause live updates' }).waitFor();
  });

  it('completes field names and values, applies the filter and keeps it in the URL', async () => {
    const { page } = browser;
    await page.keyboard.press('/');
    const input = page.getByRole('combobox', { name: 'Filter' });
    expect(await input.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await input.pressSequentially('serv');
    await page.getByRole('option', { name: /^server:/ }).click();
    await page.getByRole('option', { name: 'sdk' }).click();
    await eventually(() => new URL(page.url()).searchParams.get('filter')).toBe('server:sdk');
    await input.pressSequentially('m');
    await page.getByRole('option', { name: /^method:/ }).click();
    await input.pressSequentially('call');
    await page.getByRole('option', { name: 'tools/call' }).click();
    await eventually(() => new URL(page.url()).searchParams.get('filter')).toBe(
      'server:sdk method:tools/call',
    );
    // Only the echo calls are left: requests and their results.
    const onlyEchoes = async () => {
      const summaries = await trafficSummaries(page);
      return summaries.length > 0 && summaries.every((summary) => /^(echo\(message|Echo: )/.test(summary));
    };
    await eventually(onlyEchoes).toBe(true);
    expect(await trafficRow(page, 'Echo: first').count()).toBe(1);

    // A shared link opens the same view.
    await page.reload();
    await trafficRow(page, 'Echo: first').waitFor();
    expect(await input.inputValue()).toBe('server:sdk method:tools/call');
    expect(await trafficRow(page, 'tools/list').count()).toBe(0);
  });

  it('points at a mistake in the filter and applies the suggested fix', async () => {
    const { page } = browser;
    const input = page.getByRole('combobox', { name: 'Filter' });
    await input.fill('methd:tools/call');
    await input.press('Enter');
    const alert = page.getByRole('alert');
    await eventually(() => alert.textContent()).toContain('unknown field "methd": did you mean "method"?');
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    await alert.getByRole('button', { name: 'Use method' }).click();
    await eventually(() => new URL(page.url()).searchParams.get('filter')).toBe('method:tools/call');
    await eventually(() => page.getByRole('alert').count()).toBe(0);
  });

  it('opens a message with its partner as JSON, searchable, with headers and timing, and copies it as curl', async () => {
    const { page } = browser;
    await trafficRow(page, 'echo(message: second)').click();
    const detail = page.getByRole('complementary', { name: 'Message detail' });
    const request = detail.getByRole('region', { name: 'Request' });
    const response = detail.getByRole('region', { name: 'Response' });
    await response.waitFor();
    expect(await request.textContent()).toContain('"message": "second"');
    expect(await response.textContent()).toContain('"text": "Echo: second"');
    await detail.getByRole('searchbox', { name: 'Search in JSON' }).fill('Echo: sec');
    expect(await response.locator('mark').allTextContents()).toEqual(['Echo: sec']);
    expect(new URL(page.url()).searchParams.get('record')).toMatch(/^\d+$/);

    await request.getByRole('button', { name: 'Copy as curl' }).click();
    const curl = String(await page.evaluate('navigator.clipboard.readText()'));
    expect(curl).toContain(`curl -X POST '${gw.proxyUrl('sdk')}'`);
    expect(curl).toContain('"name":"echo"');

    await detail.getByRole('tab', { name: 'headers' }).click();
    await eventually(() => detail.textContent()).toContain('mcp-session-id');
    await detail.getByRole('tab', { name: 'timing' }).click();
    await eventually(() => detail.textContent()).toMatch(/Duration\s*[\d.]+ (ms|µs)/);
  });

  it('widens the detail panel when its edge is dragged, and remembers the width', async () => {
    const { page } = browser;
    const detail = page.getByRole('complementary', { name: 'Message detail' });
    const handle = page.getByRole('separator', { name: 'Resize the detail panel' });
    const width = async () => Math.round((await detail.boundingBox())?.width ?? 0);
    const initial = await width();
    const edge = await handle.boundingBox();
    if (!edge) throw new Error('the resize handle is not on screen');
    const y = edge.y + edge.height / 2;
    await page.mouse.move(edge.x + edge.width / 2, y);
    await page.mouse.down();
    await page.mouse.move(edge.x - 150, y, { steps: 5 });
    await page.mouse.up();
    await eventually(width).toBeGreaterThan(initial + 120);
    const widened = await width();

    await handle.focus();
    await page.keyboard.press('ArrowRight');
    await eventually(width).toBe(widened - 40);
    await page.reload();
    await detail.waitFor();
    await eventually(width).toBe(widened - 40);
    await handle.dblclick();
    await eventually(width).toBe(initial);
  });

  it('moves with j and k, opens with Enter and closes with Esc', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Close detail' }).click();
    const detail = page.getByRole('complementary', { name: 'Message detail' });
    await eventually(() => detail.count()).toBe(0);
    const selected = () => page.locator('[role=row][aria-selected=true]').getAttribute('data-record-id');
    const before = Number(await selected());
    await page.keyboard.press('j');
    await eventually(async () => Number(await selected())).toBeLessThan(before);
    await page.keyboard.press('k');
    await eventually(async () => Number(await selected())).toBe(before);
    await page.keyboard.press('Enter');
    await detail.waitFor();
    await page.keyboard.press('Escape');
    await eventually(() => detail.count()).toBe(0);
  });

  it('loads older messages by cursor as the table scrolls', async () => {
    const { page } = browser;
    await page.goto(`${gw.url}/ui/traffic?filter=${encodeURIComponent('method:tools/call')}`);
    for (let i = 0; i < 110; i++) await echo(`bulk ${i}`);
    await trafficRow(page, 'Echo: bulk 109').waitFor();
    await page.reload();
    const count = page.getByText(/\d+\+? messages/);
    await eventually(() => count.textContent()).toBe('200+ messages');
    const scroller = page.getByTestId('traffic-scroll');
    await scroller.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await eventually(() => count.textContent()).toMatch(/^22\d messages$/);
    await scroller.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await trafficRow(page, 'echo(message: first)').waitFor();
  });

  it('exports what the filter matches as JSONL', async () => {
    const { page } = browser;
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export' }).click(),
    ]);
    const lines = readFileSync(await download.path(), 'utf8')
      .trim()
      .split('\n');
    const records = lines.map((line) => JSON.parse(line) as { method: string });
    expect(records.length).toBeGreaterThan(220);
    expect(new Set(records.map((r) => r.method))).toEqual(new Set(['tools/call']));
  });

  it('clears what the filter matches, after asking, and keeps the rest', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Clear…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete matching messages' });
    expect(await dialog.textContent()).toContain('method:tools/call');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('heading', { name: 'No messages match this filter' }).waitFor();
    const left = await gw.records();
    expect(left.some((r) => r.method === 'tools/call')).toBe(false);
    expect(left.some((r) => r.method === 'initialize')).toBe(true);
  });

  it('switches between light and dark themes', async () => {
    const { page } = browser;
    const dark = () => page.evaluate('document.documentElement.classList.contains("dark")');
    const wasDark = await dark();
    await page.getByRole('button', { name: wasDark ? 'Light theme' : 'Dark theme' }).click();
    await eventually(dark).toBe(!wasDark);
    await page.reload();
    await page.getByRole('navigation', { name: 'Screens' }).waitFor();
    expect(await dark()).toBe(!wasDark);
  });

  it('has no console errors', () => {
    expect(browser.errors).toEqual([]);
  });
});
