import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SdkServer, startSdkServer } from '../fixtures/sdk-server.js';
import { openBrowser, type TestBrowser } from '../helpers/browser.js';
import { startTestGateway, TEST_TOKEN, type TestGateway } from '../helpers/gateway.js';

/** A real Chromium on the web UI over HTTPS, trusting the gateway's self-signed certificate by its key. */
describe('web UI over HTTPS (--tls self-signed, --proxy-auth)', () => {
  let upstream: SdkServer;
  let gw: TestGateway;
  let browser: TestBrowser;

  beforeAll(async () => {
    upstream = await startSdkServer({ json: true });
    gw = await startTestGateway({
      tls: 'self-signed',
      proxyAuth: true,
      healthInterval: 0,
      servers: { remote: { type: 'http', url: upstream.url } },
    });
    // Chromium's way to trust one certificate without a CA store: the base64 SHA-256 of its public key.
    browser = await openBrowser({
      args: [`--ignore-certificate-errors-spki-list=${gw.gateway.tls?.spkiSha256}`],
    });
    browser.page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
    await upstream?.stop();
  });

  it('signs in with the printed https link; the session cookie is Secure and opens the API', async () => {
    const { page, context } = browser;
    await page.goto(`${gw.url}/ui?token=${TEST_TOKEN}`);
    await page.getByRole('navigation', { name: 'Screens' }).waitFor();
    expect(page.url()).toBe(`${gw.url}/ui`);
    const [cookie] = await context.cookies();
    expect(cookie?.secure).toBe(true);
    expect(cookie?.httpOnly).toBe(true);
    expect(browser.errors).toEqual([]);
    // A change from the page itself carries its https Origin, which the gateway now expects.
    const status = await page.evaluate(async () => {
      const session = (await (await fetch('/api/session')).json()) as { csrfToken: string };
      // An entry without a url or command: refused for what it is (400), not for where it came from (403).
      const response = await fetch('/api/servers/config', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
        body: JSON.stringify({ name: 'incomplete' }),
      });
      return response.status;
    });
    expect(status).toBe(400);
  });

  it('shows https proxy URLs, with the gateway token header, in the client configurations', async () => {
    const { page } = browser;
    await page.goto(`${gw.url}/ui/servers/remote`);
    const panel = page.getByRole('region', { name: 'Client configuration' }).getByRole('tabpanel');
    await expect
      .poll(() => panel.textContent())
      .toContain(
        `claude mcp add --transport http remote ${gw.url}/s/remote/mcp --header "X-MCP-Gateway-Token: <gateway token>"`,
      );
    expect(gw.url.startsWith('https://localhost:')).toBe(true);
  });
});
