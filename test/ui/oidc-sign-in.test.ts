import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, type TestBrowser } from '../helpers/browser.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { startOidcProvider, type TestProvider } from '../helpers/oidc-provider.js';
import { freePort } from '../helpers/ports.js';
import { axeViolations } from './axe.js';

/**
 * Sign-in with a real OpenID provider (oidc-provider) in a real Chromium: the gateway sends the browser to
 * the provider, the user logs in there, and comes back signed in with the role their groups map to.
 */
const USERS = {
  alice: { email: 'alice@example.com', groups: ['admins', 'everyone'] },
  victor: { email: 'victor@example.com', groups: ['readers'] },
  nora: { email: 'nora@example.com', groups: ['contractors'] },
};
const ROLES = 'admins=admin,devs=operator,readers=viewer';

describe('OpenID Connect sign-in for the web UI', () => {
  let provider: TestProvider;
  let gw: TestGateway;
  /** Sessions end after 3 s unused. */
  let shortGw: TestGateway;
  /** Its provider client gets ID tokens made out to another application. */
  let wrongAudienceGw: TestGateway;
  let browser: TestBrowser;

  beforeAll(async () => {
    const ports = [await freePort(), await freePort(), await freePort()];
    const callback = (port: number) => [`http://localhost:${port}/ui/auth/callback`];
    provider = await startOidcProvider(USERS, [
      {
        clientId: 'gateway',
        clientSecret: 'gateway-secret-0123456789',
        redirectUris: callback(ports[0] ?? 0),
      },
      {
        clientId: 'gateway-short',
        clientSecret: 'short-secret-0123456789',
        redirectUris: callback(ports[1] ?? 0),
      },
      {
        clientId: 'gateway-aud',
        clientSecret: 'aud-secret-0123456789',
        redirectUris: callback(ports[2] ?? 0),
        idTokenAudience: 'another-app',
      },
    ]);
    const oidc = (clientId: string, secret: string) => ({
      oidcIssuer: provider.issuer,
      oidcClientId: clientId,
      oidcClientSecret: secret,
      oidcRoles: ROLES,
      oidcDefaultRole: 'none',
    });
    gw = await startTestGateway({ port: ports[0], ...oidc('gateway', 'gateway-secret-0123456789') });
    shortGw = await startTestGateway({
      port: ports[1],
      uiIdleTimeout: '3s',
      ...oidc('gateway-short', 'short-secret-0123456789'),
    });
    wrongAudienceGw = await startTestGateway({
      port: ports[2],
      ...oidc('gateway-aud', 'aud-secret-0123456789'),
    });
    browser = await openBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([gw?.stop(), shortGw?.stop(), wrongAudienceGw?.stop()]);
    await provider?.stop();
  });

  /** A fresh browser profile (no cookies at the gateway or the provider) going through the provider's login. */
  async function signInAs(login: keyof typeof USERS, gateway: TestGateway): Promise<Page> {
    const context = await browser.browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${gateway.url}/ui`);
    const host = new URL(provider.issuer).host;
    await page.getByRole('link', { name: `Sign in with ${host}` }).click();
    await page.waitForURL((url) => url.origin === provider.issuer);
    await page.locator('input[name=login]').fill(login);
    await page.locator('input[name=password]').fill('any password');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.waitForURL((url) => url.origin === gateway.url);
    return page;
  }

  /** `GET /api/session` with the page's cookies (a refusal page's CSP lets it fetch nothing itself). */
  const session = async (page: Page, gateway = gw) => {
    const response = await page.context().request.get(`${gateway.url}/api/session`);
    return {
      status: response.status(),
      body: (await response.json()) as { role?: string; expiresAt?: number | null },
    };
  };

  it('offers "Sign in with <provider>" and signs a user in with the role their group maps to', async () => {
    const page = await signInAs('alice', gw);
    await expect.poll(() => page.getByTestId('signed-in-as').textContent()).toBe('alice@example.com · admin');
    expect(page.url()).toBe(`${gw.url}/ui`);
    const { status, body } = await session(page);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      via: 'ui-session',
      actor: 'alice@example.com',
      role: 'admin',
      servers: null,
    });
    // An absolute cap of 12 h, idle or not.
    expect(body.expiresAt ?? 0).toBeGreaterThan(Date.now() + 11 * 3_600_000);
    expect(body.expiresAt ?? 0).toBeLessThanOrEqual(Date.now() + 12 * 3_600_000);
    const [cookie] = (await page.context().cookies(gw.url)).filter((c) => c.name === 'mcp_gateway_session');
    expect(cookie?.httpOnly).toBe(true);
    await page.context().close();
  });

  it('gives a user whose group maps to viewer the viewer role', async () => {
    const page = await signInAs('victor', gw);
    await expect
      .poll(() => page.getByTestId('signed-in-as').textContent())
      .toBe('victor@example.com · viewer');
    expect((await session(page)).body.role).toBe('viewer');
    await page.context().close();
  });

  it('refuses a user whose groups map to no role, with a page that says why and what to do', async () => {
    const page = await signInAs('nora', gw);
    await page.getByRole('heading', { name: 'No role on this gateway' }).waitFor();
    const text = await page.getByRole('alert').textContent();
    expect(text).toContain('nora@example.com');
    expect(text).toContain('contractors');
    expect(text).toContain('--oidc-roles');
    expect(await axeViolations(page)).toEqual([]);
    expect((await session(page)).status).toBe(401);
    await page.context().close();
  });

  it('refuses an ID token made out to another application', async () => {
    const page = await signInAs('alice', wrongAudienceGw);
    await page.getByRole('heading', { name: 'The ID token is meant for another application' }).waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('--oidc-client-id');
    expect((await session(page, wrongAudienceGw)).status).toBe(401);
    await page.context().close();
  });

  it('refuses a callback that was not started in this browser', async () => {
    const response = await fetch(`${gw.url}/ui/auth/callback?code=stolen&state=forged`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('text/html');
    const page = await response.text();
    expect(page).toContain('This sign-in cannot be finished');
    expect(page).toContain('Start again from the sign-in screen');
    expect(response.headers.get('set-cookie') ?? '').not.toContain('mcp_gateway_session=');
  });

  it('ends a session left unused past the idle timeout and says so on the sign-in screen', async () => {
    const page = await signInAs('alice', shortGw);
    // Leave the UI (it would keep the session in use), check the session is there, then let it sit.
    await page.goto('about:blank');
    expect((await session(page, shortGw)).body.role).toBe('admin');
    await new Promise((resolve) => setTimeout(resolve, 3500));
    await page.goto(`${shortGw.url}/ui`);
    await page.getByRole('heading', { name: 'Sign in to MCP Gateway' }).waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('Your session ended');
    await page.getByRole('link', { name: /^Sign in with/ }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    expect((await session(page, shortGw)).status).toBe(401);
    await page.context().close();
  });

  it('brings up the sign-in screen by itself when the session ended while the UI was open', async () => {
    const page = await signInAs('victor', shortGw);
    await expect
      .poll(() => page.getByTestId('signed-in-as').textContent())
      .toBe('victor@example.com · viewer');
    // Nothing is clicked: the open live feed notices the session ended (the gateway closes it) and the
    // UI asks who is signed in, so an unattended page does not keep showing what its viewer may no
    // longer see. The feed's own checks do not count as use, or the session would never idle out.
    await page.getByRole('heading', { name: 'Sign in to MCP Gateway' }).waitFor({ timeout: 15_000 });
    expect(await page.getByRole('alert').textContent()).toContain('Your session ended');
    await page.context().close();
  });

  it('signs out', async () => {
    const page = await signInAs('alice', gw);
    await expect.poll(() => page.getByTestId('signed-in-as').textContent()).toBe('alice@example.com · admin');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to MCP Gateway' }).waitFor();
    expect((await session(page)).status).toBe(401);
    // Signing out is not a session that ended by itself: no such notice.
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.context().close();
  });

  it('has no console errors beyond the 401s the sign-in screen is built on', () => {
    expect(browser.errors.filter((e) => !e.includes('401'))).toEqual([]);
  });
});

describe('OpenID Connect with a provider that cannot be reached', () => {
  it('starts anyway, says what is wrong, and the sign-in screen offers the token link alone', async () => {
    const issuer = `http://127.0.0.1:${await freePort()}`;
    const gw = await startTestGateway({
      oidcIssuer: issuer,
      oidcClientId: 'gateway',
      oidcDefaultRole: 'viewer',
    });
    const browser = await openBrowser();
    try {
      expect(gw.messages.join('\n')).toContain(
        `OpenID Connect sign-in is unavailable: cannot read ${issuer}/.well-known/openid-configuration`,
      );
      await browser.page.goto(`${gw.url}/ui`);
      await browser.page.getByRole('heading', { name: 'Sign in to MCP Gateway' }).waitFor();
      expect(await browser.page.getByRole('link', { name: /^Sign in with/ }).count()).toBe(0);
      expect(await browser.page.textContent('body')).toContain('/ui?token=');
      const login = await fetch(`${gw.url}/ui/auth/login`);
      expect(login.status).toBe(503);
      expect(await login.text()).toContain('sign in with the web UI link the gateway printed');
    } finally {
      await browser.close();
      await gw.stop();
    }
  });
});
