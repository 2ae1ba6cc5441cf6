import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, type TestBrowser } from '../helpers/browser.js';
import { startTestGateway, TEST_TOKEN, type TestGateway } from '../helpers/gateway.js';

describe('web UI sign-in', () => {
  let gw: TestGateway;
  let browser: TestBrowser;

  beforeAll(async () => {
    gw = await startTestGateway();
    browser = await openBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
  });

  it('explains where the link comes from when there is no session', async () => {
    const { page } = browser;
    await page.goto(`${gw.url}/ui`);
    await expect
      .poll(() => page.getByRole('heading', { name: 'Sign in to MCP Gateway' }).isVisible())
      .toBe(true);
    expect(await page.textContent('body')).toContain('Web UI');
  });

  it('says so when the link carries a wrong token', async () => {
    const { page } = browser;
    await page.goto(`${gw.url}/ui?token=not-the-token`);
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('not this gateway');
    expect(page.url()).not.toContain('not-the-token');
  });

  it('exchanges the token for an HttpOnly, SameSite=Strict cookie and takes it out of the address bar', async () => {
    const { page, context } = browser;
    await page.goto(`${gw.url}/ui?token=${TEST_TOKEN}`);
    await expect.poll(() => page.getByRole('navigation', { name: 'Screens' }).isVisible()).toBe(true);
    expect(page.url()).toBe(`${gw.url}/ui`);
    const [cookie] = await context.cookies();
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Strict');
    expect(cookie?.value).not.toContain(TEST_TOKEN);
    // The cookie opens the API for this browser, and only it.
    const status = await page.evaluate(async () => (await fetch('/api/status')).status);
    expect(status).toBe(200);
    expect((await fetch(`${gw.url}/api/status`)).status).toBe(401);
  });

  it('signs out', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect
      .poll(() => page.getByRole('heading', { name: 'Sign in to MCP Gateway' }).isVisible())
      .toBe(true);
    expect(await page.evaluate(async () => (await fetch('/api/status')).status)).toBe(401);
  });

  it('has no console errors', () => {
    // The only expected errors are the 401s the sign-in screen is built on.
    expect(browser.errors.filter((e) => !e.includes('401'))).toEqual([]);
  });
});

describe('web UI after a gateway restart', () => {
  it('asks to sign in again, since sessions live in the gateway memory', async () => {
    const storageDir = mkdtempSync(join(tmpdir(), 'mcp-gateway-ui-restart-'));
    let gw = await startTestGateway({ storageDir });
    const browser = await openBrowser();
    try {
      const { page } = browser;
      await page.goto(`${gw.url}/ui?token=${TEST_TOKEN}`);
      await page.getByRole('navigation', { name: 'Screens' }).waitFor();
      const port = Number(new URL(gw.url).port);
      await gw.stop();
      gw = await startTestGateway({ storageDir, port });
      // The live connection drops and comes back refused; the UI finds out why and says what to do. The
      // browser logs the cut streams (net::ERR_...) and the 401s; nothing else may go wrong.
      await page.getByRole('heading', { name: 'Sign in to MCP Gateway' }).waitFor({ timeout: 20_000 });
      const unexpected = browser.errors.filter((e) => !/401|net::ERR_/.test(e));
      expect(unexpected).toEqual([]);
    } finally {
      await browser.close();
      await gw.stop();
      rmSync(storageDir, { recursive: true, force: true });
    }
  });
});
