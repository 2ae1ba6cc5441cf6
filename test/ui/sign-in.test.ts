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
