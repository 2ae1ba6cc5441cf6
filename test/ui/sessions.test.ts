import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestBrowser } from '../helpers/browser.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { type ConnectedClient, connectClient } from '../helpers/mcp-client.js';
import { stdioServers, waitForState } from '../helpers/stdio.js';
import { eventually, markPage, signedIn } from './support.js';

describe('web UI: sessions', () => {
  let gw: TestGateway;
  let browser: TestBrowser;
  let client: ConnectedClient;

  beforeAll(async () => {
    gw = await startTestGateway({ servers: { fixture: stdioServers.fixture() } });
    await waitForState(gw, 'fixture', 'running');
    browser = await signedIn(gw, '/ui/sessions');
    // A client that declares nothing uses the shared process the server starts with (the one that crashes).
    client = await connectClient(gw.proxyUrl('fixture'), 'timeline-client', {});
    await client.client.callTool({ name: 'echo', arguments: { message: 'before the crash' } });
    // The server writes to stderr and dies while answering: the client gets an error, the gateway restarts it.
    await client.client.callTool({ name: 'crash', arguments: { code: 3 } }).catch(() => undefined);
    await waitForState(gw, 'fixture', 'running');
    await client.client.callTool({ name: 'echo', arguments: { message: 'after the restart' } });
  });

  afterAll(async () => {
    await client?.close();
    await browser?.close();
    await gw?.stop();
  });

  it('lists sessions with their client, server, protocol version and counts', async () => {
    const { page } = browser;
    const sessions = page.getByRole('navigation', { name: 'Sessions' });
    const item = sessions.getByRole('link').filter({ hasText: 'timeline-client' });
    // Counts follow the traffic: wait for the last of it.
    await eventually(() => item.textContent()).toMatch(/1 err/);
    const text = await item.textContent();
    expect(text).toContain('fixture');
    expect(text).toContain(String(client.transport.sessionId).slice(0, 8));
    expect(text).toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(text).toMatch(/\d+ msgs/);
    expect(text).toMatch(/1 err/);
  });

  it('reads the session in order: messages, stderr lines and the error, with durations and request brackets', async () => {
    const { page } = browser;
    await page
      .getByRole('navigation', { name: 'Sessions' })
      .getByRole('link')
      .filter({ hasText: 'timeline-client' })
      .click();
    const timeline = page.getByRole('list', { name: 'Session timeline' });
    await timeline.waitFor();
    await timeline.getByRole('button', { name: /Echo: after the restart/ }).waitFor();
    const rows = (await timeline.getByRole('button').allTextContents()).map((row) =>
      row.replace(/\s+/g, ' '),
    );
    const at = (text: string) => rows.findIndex((row) => row.includes(text));
    expect(at('initialize timeline-client')).toBe(0);
    expect(at('echo(message: before the crash)')).toBeLessThan(at('Echo: before the crash'));
    expect(at('Echo: before the crash')).toBeLessThan(at('crash(code: 3)'));
    expect(at('crash(code: 3)')).toBeLessThan(at('fixture: about to crash'));
    // Written at once, the server's two stderr lines are one row.
    expect(at('fixture: about to crash')).toBe(at('fixture: database connection lost'));
    expect(at('fixture: database connection lost')).toBeLessThan(at('echo(message: after the restart)'));
    expect(rows[at('Echo: before the crash')]).toMatch(/\+\d+\.\d{3} s.*[\d.]+ (ms|µs)$/);
    expect(rows.some((row) => /exited|crash/.test(row) && /error|exit code 3/.test(row))).toBe(true);
    // Each answered request is joined to its answer in the gutter.
    expect(await page.locator('svg path title').count()).toBeGreaterThanOrEqual(3);
  });

  it('follows a running session: new calls appear without a reload', async () => {
    const { page } = browser;
    const sameDocument = await markPage(page);
    await client.client.callTool({ name: 'echo', arguments: { message: 'live in the timeline' } });
    await page.getByRole('button', { name: /Echo: live in the timeline/ }).waitFor();
    expect(await sameDocument()).toBe(true);
  });

  it('opens a message of the timeline with its partner, and moves with j/k', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: /echo\(message: before the crash\)/ }).click();
    const detail = page.getByRole('complementary', { name: 'Message detail' });
    await detail.getByRole('region', { name: 'Response' }).waitFor();
    expect(await detail.getByRole('region', { name: 'Response' }).textContent()).toContain(
      'Echo: before the crash',
    );
    await page.keyboard.press('j');
    await eventually(() => detail.getByRole('region', { name: 'Response' }).getAttribute('aria-label')).toBe(
      'Response',
    );
    await eventually(() => page.locator('[aria-current=true]').textContent()).toContain(
      'Echo: before the crash',
    );
    await page.keyboard.press('Escape');
    await eventually(() => detail.count()).toBe(0);
  });

  it('picks a session with j/k, leaves j/k to the open timeline, and moves between sessions with Shift+J/K', async () => {
    const { page } = browser;
    const second = await connectClient(gw.proxyUrl('fixture'), 'second-client', {});
    try {
      await second.client.callTool({ name: 'echo', arguments: { message: 'from the second client' } });
      await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Sessions' }).click();
      await page.getByRole('heading', { name: 'Read a session end to end' }).waitFor();
      const links = page.getByRole('navigation', { name: 'Sessions' }).getByRole('link');
      // The most recently active session comes first; once it is there, no more traffic reorders the list.
      await eventually(() => links.first().textContent()).toContain('second-client');
      const paths = await links.evaluateAll((items) => items.map((item) => item.getAttribute('href')));
      expect(await links.nth(1).textContent()).toContain('timeline-client');
      const address = () => {
        const url = new URL(page.url());
        return `${url.pathname}${url.search}`;
      };
      const selectedSession = page
        .getByRole('navigation', { name: 'Sessions' })
        .locator('[aria-current=page]');

      await page.keyboard.press('j');
      await eventually(address).toBe(paths[0]);
      await page.getByRole('heading', { name: /second-client/ }).waitFor();
      await eventually(() => selectedSession.textContent()).toContain('second-client');

      // Inside the session, j moves through its messages and the session stays open.
      const timeline = page.getByRole('list', { name: 'Session timeline' });
      await timeline.getByRole('button', { name: /Echo: from the second client/ }).waitFor();
      await page.keyboard.press('j');
      await eventually(() => timeline.locator('[aria-current=true]').textContent()).toContain(
        'initialize second-client',
      );
      expect(address()).toBe(paths[0]);

      await page.keyboard.press('Shift+J');
      await eventually(address).toBe(paths[1]);
      await page.getByRole('heading', { name: /timeline-client/ }).waitFor();
      await eventually(() => selectedSession.textContent()).toContain('timeline-client');

      await page.keyboard.press('Shift+K');
      await eventually(address).toBe(paths[0]);
      await page.getByRole('heading', { name: /second-client/ }).waitFor();
      await eventually(() => selectedSession.textContent()).toContain('second-client');
    } finally {
      await second.close();
    }
  });

  it('has no console errors', () => {
    expect(browser.errors).toEqual([]);
  });
});
