import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SdkServer, startSdkServer } from '../fixtures/sdk-server.js';
import type { TestBrowser } from '../helpers/browser.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { type ConnectedClient, connectClient } from '../helpers/mcp-client.js';
import { type Focused, focused, tabTo, walk } from './keys.js';
import { eventually, expectNoSidewaysScroll, signedIn, trafficRow } from './support.js';

/**
 * The web UI with the keyboard alone, as someone who cannot use a mouse (or uses a screen reader) does:
 * every control is reached with Tab, shows where the focus is, changes nothing by being passed, and gives
 * the focus back to what opened it; rows are reached and say which is selected. Then every screen at 200%
 * zoom on a 1280×720 screen (a 640×360 CSS viewport) must not scroll sideways.
 */
describe('web UI: keyboard only, and zoomed to 200%', () => {
  let upstream: SdkServer;
  let gw: TestGateway;
  let browser: TestBrowser;
  let client: ConnectedClient;
  const echo = (message: string) => client.client.callTool({ name: 'echo', arguments: { message } });

  beforeAll(async () => {
    upstream = await startSdkServer({ json: true });
    gw = await startTestGateway({ servers: { sdk: { type: 'http', url: upstream.url } } });
    client = await connectClient(gw.proxyUrl('sdk'), 'keyboard-client');
    for (const message of ['one', 'two', 'three']) await echo(message);
    await gw.gateway.flushCapture();
    browser = await signedIn(gw, '/ui/traffic');
    await trafficRow(browser.page, 'Echo: three').waitFor();
  });

  afterAll(async () => {
    await client?.close();
    await browser?.close();
    await gw?.stop();
    await upstream?.stop();
  });

  /** Opens a screen afresh, so the Tab order starts from the top of the page. */
  async function fresh(page: Page, path: string): Promise<void> {
    await page.goto(`${gw.url}${path}`);
    await page.getByRole('navigation', { name: 'Screens' }).waitFor();
  }

  const describeStop = (f: Focused | null) => (f ? `${f.tag}[${f.role ?? ''}] "${f.name}"` : '(page)');

  it('Tab walks Traffic from a skip link on, every stop ringed, and changes nothing by passing', async () => {
    const { page } = browser;
    await fresh(page, '/ui/traffic');
    await trafficRow(page, 'Echo: three').waitFor();
    const before = page.url();
    const stops = await walk(page, 'Tab', 24);
    expect(stops[0]?.name).toBe('Skip to content');
    // Past the last control the focus leaves the page for the browser's own controls, then starts over.
    const wrap = stops.findIndex((s, i) => i > 0 && s?.name === 'Skip to content');
    expect(wrap).toBeGreaterThan(8);
    const onPage = stops.slice(0, wrap - 1);
    expect(onPage.filter((s) => !s?.ringed).map(describeStop)).toEqual([]);
    // The filter box and its suggestions were passed: no filter applied, no record opened.
    expect(stops.some((s) => s?.role === 'combobox')).toBe(true);
    expect(page.url()).toBe(before);
    expect(await page.getByRole('combobox', { name: 'Filter' }).inputValue()).toBe('');
    // Back again with Shift+Tab: still nothing changed.
    await walk(page, 'Shift+Tab', 16);
    expect(page.url()).toBe(before);
    expect(await page.getByRole('combobox', { name: 'Filter' }).inputValue()).toBe('');
  });

  it('rings every Tab stop on Sessions, Servers and Insights too, and Tab changes nothing there', async () => {
    const { page } = browser;
    const sessionPath = await (async () => {
      await fresh(page, '/ui/sessions');
      const link = page.getByRole('navigation', { name: 'Sessions' }).getByRole('link').first();
      return (await link.getAttribute('href')) ?? '';
    })();
    for (const path of [sessionPath, '/ui/servers/sdk', '/ui/insights']) {
      await fresh(page, path);
      await page.getByRole('heading', { level: 1 }).waitFor({ state: 'attached' });
      await page.waitForTimeout(300);
      const before = page.url();
      const stops = await walk(page, 'Tab', 30);
      const wrap = stops.findIndex((s, i) => i > 0 && s?.name === 'Skip to content');
      const onPage = wrap > 0 ? stops.slice(0, wrap - 1) : stops;
      expect(onPage.filter((s) => !s?.ringed).map(describeStop), path).toEqual([]);
      expect(page.url()).toBe(before);
    }
  });

  it('reaches the traffic rows with Tab; j/k move the focus along and the row says it is selected', async () => {
    const { page } = browser;
    await fresh(page, '/ui/traffic');
    await trafficRow(page, 'Echo: three').waitFor();
    const row = await tabTo(page, (f) => f.role === 'row');
    expect(row.recordId).not.toBeNull();
    await page.keyboard.press('j');
    await eventually(() => focused(page)).toMatchObject({ role: 'row', selected: 'true' });
    const first = (await focused(page))?.recordId;
    await page.keyboard.press('j');
    await eventually(async () => (await focused(page))?.recordId).not.toBe(first);
    expect((await focused(page))?.selected).toBe('true');
    expect(await page.locator('[role=row][aria-selected=true]').count()).toBe(1);
    await page.keyboard.press('k');
    await eventually(async () => (await focused(page))?.recordId).toBe(first);
  });

  it('opens a record with Enter, walks its tabs with the arrow keys, and Esc gives the focus back to the row', async () => {
    const { page } = browser;
    const opened = (await focused(page))?.recordId;
    await page.keyboard.press('Enter');
    const detail = page.getByRole('complementary', { name: 'Message detail' });
    await detail.getByRole('tab', { name: 'message' }).waitFor();
    // The tab list holds its tabs and nothing else (the JSON search sits beside it).
    const tablist = detail.getByRole('tablist');
    expect(await tablist.getByRole('tab').count()).toBe(3);
    expect(await tablist.getByRole('searchbox').count()).toBe(0);
    await detail.getByRole('tab', { name: 'message' }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await focused(page)).toMatchObject({ role: 'tab', name: 'headers', selected: 'true' });
    await page.keyboard.press('End');
    expect(await focused(page)).toMatchObject({ role: 'tab', name: 'timing', selected: 'true' });
    await page.keyboard.press('ArrowRight');
    expect(await focused(page)).toMatchObject({ role: 'tab', name: 'message', selected: 'true' });
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'detached' });
    await eventually(async () => (await focused(page))?.recordId).toBe(opened);

    // The same with the panel's close button.
    await page.keyboard.press('Enter');
    await detail.getByRole('button', { name: 'Close detail' }).click();
    await eventually(async () => (await focused(page))?.recordId).toBe(opened);
  });

  it('sizes the detail panel from its separator with the arrows, Home and End', async () => {
    const { page } = browser;
    await page.keyboard.press('Enter');
    const handle = page.getByRole('separator', { name: 'Resize the detail panel' });
    await handle.focus();
    await page.keyboard.press('Home');
    await eventually(() => handle.getAttribute('aria-valuenow')).toBe('360');
    await page.keyboard.press('End');
    const max = await handle.getAttribute('aria-valuemax');
    await eventually(() => handle.getAttribute('aria-valuenow')).toBe(max);
    await page.keyboard.press('Home');
    await page.keyboard.press('Escape');
  });

  it('gives the focus back to the Clear button and to the filter help button when they close', async () => {
    const { page } = browser;
    await fresh(page, '/ui/traffic');
    await tabTo(page, (f) => f.name === 'Clear…');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Delete all messages' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'Delete all messages' }).waitFor({ state: 'detached' });
    expect(await focused(page)).toMatchObject({ name: 'Clear…' });

    await page.getByRole('button', { name: 'Filter help' }).focus();
    await page.keyboard.press('Enter');
    const help = page.getByRole('dialog', { name: 'Filter language' });
    await help.waitFor();
    expect(await focused(page)).toMatchObject({ role: 'dialog' });
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
    expect(await focused(page)).toMatchObject({ name: 'Filter help', ringed: true });
    expect(new URL(page.url()).searchParams.get('filter')).toBeNull();
  });

  it('tells screen readers about new traffic, and how much is held while paused', async () => {
    const { page } = browser;
    const status = page.getByRole('status');
    await echo('announced');
    await eventually(() => status.textContent()).toMatch(/2 new messages, newest: .*Echo: announced/);
    await page.getByRole('button', { name: 'Pause live updates' }).click();
    await eventually(() => status.textContent()).toContain('Live updates paused');
    await echo('held back');
    await eventually(() => status.textContent()).toContain('2 new messages held');
    await page.getByRole('button', { name: /^Resume/ }).click();
    await eventually(() => status.textContent()).toContain('Live updates resumed');
  });

  it('on a server page, the first Tab goes to the skip link and then the navigation; the add dialog rings its choice and gives the focus back', async () => {
    const { page } = browser;
    await fresh(page, '/ui/servers/sdk');
    await page.getByRole('heading', { name: 'sdk' }).waitFor();
    const [skip, next] = await walk(page, 'Tab', 2);
    expect(skip?.name).toBe('Skip to content');
    expect(next).toMatchObject({ tag: 'a', name: 'Traffic' });
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await tabTo(page, (f) => f.tag === 'a' && f.name.startsWith('sdk'));
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Servers');

    await tabTo(page, (f) => f.name === '+ Add server');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Add a server' });
    await dialog.waitFor();
    const radio = await tabTo(page, (f) => f.tag === 'input' && f.name.startsWith('HTTP'));
    expect(radio.ringed).toBe(true);
    await page.keyboard.press('ArrowRight');
    await dialog.getByLabel('Command', { exact: true }).waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await focused(page)).toMatchObject({ name: '+ Add server', ringed: true });
  });

  it('moves the focus with j/k through the Sessions list, and / focuses the filter on Insights', async () => {
    const { page } = browser;
    const other = await connectClient(gw.proxyUrl('sdk'), 'second-client');
    await other.close();
    await fresh(page, '/ui/sessions');
    const list = page.getByRole('navigation', { name: 'Sessions' });
    await list.getByRole('link').nth(1).waitFor();
    await page.keyboard.press('j');
    await eventually(async () => (await focused(page))?.tag).toBe('a');
    const first = await focused(page);
    expect(first?.ringed).toBe(true);
    // A session is open now, and j/k move through its messages; Shift+J goes to the next session.
    await page.keyboard.press('Shift+J');
    await eventually(async () => (await focused(page))?.name).not.toBe(first?.name);
    expect(await list.locator('a:focus').getAttribute('aria-current')).toBe('page');
    // In the open session, j takes the focus to its first message, marked as the current one (once its
    // timeline has loaded: a key pressed before that has nothing to move to).
    await page.getByRole('list', { name: 'Session timeline' }).locator('button').first().waitFor();
    await page.keyboard.press('j');
    await eventually(async () => (await focused(page))?.recordId ?? null).not.toBeNull();
    expect(
      await page
        .getByRole('list', { name: 'Session timeline' })
        .locator('button:focus')
        .getAttribute('aria-current'),
    ).toBe('true');

    await fresh(page, '/ui/insights');
    await page.getByRole('combobox', { name: 'Filter' }).waitFor();
    await page.keyboard.press('/');
    expect(await focused(page)).toMatchObject({ role: 'combobox', name: 'Filter' });
  });

  it('at 200% zoom (1280×720), no screen scrolls sideways and the header keeps every control on screen', async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 640, height: 360 });
    const onScreen = async (name: string) => {
      const box = await page.getByRole('button', { name }).boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= 640).toBe(true);
    };
    await fresh(page, '/ui/traffic');
    await trafficRow(page, 'Echo: three').click();
    await page.getByRole('complementary', { name: 'Message detail' }).waitFor();
    await expectNoSidewaysScroll(page);
    await onScreen('Sign out');
    await page.getByRole('button', { name: 'Filter help' }).click();
    await page.getByRole('dialog', { name: 'Filter language' }).waitFor();
    await expectNoSidewaysScroll(page);

    await fresh(page, '/ui/sessions');
    await page.getByRole('navigation', { name: 'Sessions' }).getByRole('link').first().click();
    await page.getByRole('list', { name: 'Session timeline' }).getByRole('button').first().click();
    await page.getByRole('complementary', { name: 'Message detail' }).waitFor();
    await expectNoSidewaysScroll(page);

    await fresh(page, '/ui/servers/sdk');
    await page.getByRole('heading', { name: 'sdk' }).waitFor();
    await expectNoSidewaysScroll(page);
    await onScreen('Delete…');
    await page.getByRole('button', { name: 'Add server' }).click();
    await page.getByRole('dialog', { name: 'Add a server' }).waitFor();
    await expectNoSidewaysScroll(page);
    await page.keyboard.press('Escape');

    await fresh(page, '/ui/insights');
    await page.getByRole('img', { name: /Requests and errors over time/ }).waitFor();
    await expectNoSidewaysScroll(page);
    await page.setViewportSize({ width: 1440, height: 900 });
  });
});
