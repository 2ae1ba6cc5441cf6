import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenStore } from '../../src/auth/token-store.js';
import { openBrowser, type TestBrowser } from '../helpers/browser.js';
import { startTestGateway, TEST_TOKEN, type TestGateway } from '../helpers/gateway.js';
import { stdioServers } from '../helpers/stdio.js';

const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'foreign', version: '1' } },
});

/**
 * The playground on a gateway served over HTTPS with --proxy-auth: it proves itself to the proxy with the
 * web UI session (no page script holds the token); another page of the same site cannot, and a viewer's
 * page gets no playground and no way through the proxy.
 */
describe('playground over HTTPS with --proxy-auth', () => {
  let gw: TestGateway;
  let browser: TestBrowser;
  let other: Server;
  let otherUrl: string;

  const signIn = async (token: string) => {
    await browser?.close();
    browser = await openBrowser({
      args: [`--ignore-certificate-errors-spki-list=${gw.gateway.tls?.spkiSha256}`],
    });
    browser.page.setDefaultTimeout(15_000);
    await browser.page.goto(`${gw.url}/ui?token=${token}`);
    await browser.page.getByRole('navigation', { name: 'Screens' }).waitFor();
    return browser.page;
  };
  const records = async () => (await gw.records((r) => r.server === 'everything')).length;

  beforeAll(async () => {
    gw = await startTestGateway({
      tls: 'self-signed',
      proxyAuth: true,
      healthInterval: 0,
      servers: { everything: stdioServers.everything() },
    });
    // Another local app on another port of the same host, over HTTPS too: the same site, so the browser
    // sends the gateway's (Secure, SameSite=Strict) session cookie along with its requests.
    const tls = gw.gateway.tls;
    other = createServer({ cert: tls?.cert, key: tls?.key }, (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>Another local app</title><h1>Another local app</h1>');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    otherUrl = `https://localhost:${(other.address() as AddressInfo).port}/`;
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
    await new Promise((resolve) => other?.close(resolve));
  });

  it('calls a tool from the UI through the guarded proxy, with no gateway token in the page', async () => {
    const page = await signIn(TEST_TOKEN);
    await page.goto(`${gw.url}/ui/servers/everything`);
    const playground = page.getByRole('region', { name: 'Playground' });
    await playground.getByRole('button', { name: 'Connect' }).click();
    await playground
      .getByRole('list', { name: 'Tools' })
      .getByRole('button', { name: /^echo\s*,/ })
      .click();
    const form = playground.getByRole('form', { name: 'Arguments for echo' });
    await form.getByRole('textbox', { name: /message/ }).fill('over https');
    await form.getByRole('button', { name: 'Call' }).click();
    await playground.getByRole('region', { name: 'Result' }).getByText('Echo: over https').waitFor();
    const html = await page.content();
    expect(html).not.toContain(TEST_TOKEN);
    const call = (await gw.records((r) => r.server === 'everything' && r.method === 'tools/call')).find((r) =>
      JSON.stringify(r.message).includes('over https'),
    );
    expect(call?.clientName).toBe('mcp-gateway playground');
    expect(browser.errors).toEqual([]);
  }, 60_000);

  it("refuses another page of the same site, even with the session's cookie riding along", async () => {
    const page = await signIn(TEST_TOKEN);
    const csrf = await page.evaluate(async () => {
      const session = (await (await fetch('/api/session')).json()) as { csrfToken: string };
      return session.csrfToken;
    });
    await page.goto(otherUrl);
    await gw.gateway.flushCapture();
    const before = await records();
    const proxy = gw.proxyUrl('everything');
    // With the CSRF token (had it leaked): the browser asks first, and the proxy never lets credentials
    // through CORS, so the request is not even sent.
    const withToken = await page.evaluate(
      async ({ proxy, csrf, body }) => {
        try {
          const response = await fetch(proxy, {
            method: 'POST',
            credentials: 'include',
            headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
            body,
          });
          return response.status;
        } catch (error) {
          return String(error);
        }
      },
      { proxy, csrf, body: INITIALIZE },
    );
    expect(withToken).toMatch(/Failed to fetch/);
    // A request that needs no preflight carries the cookie, but the cookie alone opens nothing: 401.
    const answered = page.waitForResponse((response) => response.url() === proxy);
    await page.evaluate(
      async ({ proxy, body }) => {
        await fetch(proxy, { method: 'POST', mode: 'no-cors', credentials: 'include', body }).catch(
          () => null,
        );
      },
      { proxy, body: INITIALIZE },
    );
    expect((await answered).status()).toBe(401);
    await gw.gateway.flushCapture();
    expect(await records()).toBe(before);
  }, 60_000);

  it("gives a viewer no playground, and the proxy refuses a viewer's session", async () => {
    const viewer = new TokenStore(gw.storageDir).create({ name: 'watcher', role: 'viewer' }).value;
    const page = await signIn(viewer);
    await page.goto(`${gw.url}/ui/servers/everything`);
    await page.getByRole('heading', { name: 'everything' }).waitFor();
    await page.getByRole('region', { name: 'Connect a client' }).waitFor();
    expect(await page.getByRole('region', { name: 'Playground' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Call' }).count()).toBe(0);
    // Its own page, its own session and CSRF token: still no way to call the server.
    const status = await page.evaluate(
      async ({ proxy, body }) => {
        const session = (await (await fetch('/api/session')).json()) as { csrfToken: string };
        const response = await fetch(proxy, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
            'x-csrf-token': session.csrfToken,
          },
          body,
        });
        return response.status;
      },
      { proxy: gw.proxyUrl('everything'), body: INITIALIZE },
    );
    expect(status).toBe(403);
  }, 60_000);
});
