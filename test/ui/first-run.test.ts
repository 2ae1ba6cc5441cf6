import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, type TestBrowser } from '../helpers/browser.js';
import { BIN, runNpmStart, stopGroup } from '../helpers/cli.js';
import { startTestGateway, TEST_TOKEN, type TestGateway } from '../helpers/gateway.js';
import { eventually, signedIn, trafficRow } from './support.js';

/** The gateway runs on a random port here, never 3333: whatever the page prints must say the real one. */
describe('sign-in page on any port', () => {
  let gw: TestGateway;
  let browser: TestBrowser;

  beforeAll(async () => {
    gw = await startTestGateway();
    browser = await openBrowser();
    browser.page.setDefaultTimeout(10_000);
  });

  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
  });

  it("prints the link with the gateway's own origin", async () => {
    const { page } = browser;
    expect(new URL(gw.url).port).not.toBe('3333');
    await page.goto(`${gw.url}/ui`);
    await page.getByRole('heading', { name: 'Sign in to MCP Gateway' }).waitFor();
    const body = (await page.textContent('body')) ?? '';
    expect(body).toContain(`${gw.url}/ui?token=…`);
    expect(body).not.toContain('3333');
    expect(body).toContain('mcp-gateway ui');
  });

  it('says so when a pasted token is wrong, and keeps it out of the address bar', async () => {
    const { page } = browser;
    await page.getByLabel('Token').fill('not-the-token-at-all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await eventually(() => page.getByRole('alert').textContent()).toContain('not this gateway');
    expect(page.url()).not.toContain('not-the-token');
  });

  it('signs in with a pasted token, the way the printed link does', async () => {
    const { page, context } = browser;
    await page.getByLabel('Token').fill(TEST_TOKEN);
    await page.getByLabel('Token').press('Enter');
    await page.getByRole('navigation', { name: 'Screens' }).waitFor();
    expect(page.url()).not.toContain(TEST_TOKEN);
    const [cookie] = await context.cookies();
    expect(cookie?.httpOnly).toBe(true);
    expect(await page.evaluate(async () => (await fetch('/api/status')).status)).toBe(200);
  });
});

describe('client configurations from a checkout', () => {
  let gw: TestGateway;
  let browser: TestBrowser;

  beforeAll(async () => {
    gw = await startTestGateway({
      servers: {
        notes: { type: 'stdio', command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] },
      },
    });
    browser = await signedIn(gw, '/ui/servers');
  });

  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
  });

  it("name the running gateway's bin by its absolute path when mcp-gateway is not on PATH", async () => {
    // Nothing in a checkout puts mcp-gateway on PATH; a bare name would not run (or run another package).
    const { command } = (await (await gw.api('/api/status')).json()) as { command: string };
    expect(realpathSync(command)).toBe(realpathSync(BIN));
    const { page } = browser;
    const configs = page.getByRole('region', { name: 'Client configuration' });
    const panel = configs.getByRole('tabpanel');
    await configs.getByRole('tab', { name: 'Claude Desktop', exact: true }).click();
    await eventually(async () => (await panel.textContent())?.replace(/\s+/g, '')).toContain(
      `"command":"${command}","args":["connect","notes","--port","${new URL(gw.url).port}"]`,
    );
    await configs.getByRole('tab', { name: 'Claude Desktop (wrap)' }).click();
    await eventually(async () => (await panel.textContent())?.replace(/\s+/g, '')).toContain(
      `"command":"${command}","args":["wrap","--name","notes"`,
    );
  });
});

/**
 * The Quick start as a new user runs it from the checkout: the real `npm start -- --demo` (on a free port
 * and a fresh storage dir), then one click on the printed link, shows a captured call.
 */
describe('npm start -- --demo, then the printed link', () => {
  it('shows the demo server and its captured calls in the browser', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-gateway-quick-start-'));
    const gateway = runNpmStart(['--demo', '--port', '0', '--storage-dir', dir]);
    const browser = await openBrowser();
    browser.page.setDefaultTimeout(30_000);
    try {
      const banner = await gateway.waitFor(/Press Ctrl-C/);
      const link = /Web UI\s+(\S+)/.exec(banner)?.[1] as string;
      const { page } = browser;
      await page.goto(link);
      await page.getByRole('navigation', { name: 'Screens' }).waitFor();
      await page.getByRole('link', { name: 'Traffic' }).first().click();
      const call = trafficRow(page, 'echo(message: Hello from the MCP Gateway demo)').first();
      await call.waitFor();
      expect(await call.textContent()).toContain('tools/call');
      await page.goto(`${new URL(link).origin}/ui/servers`);
      await page.getByRole('heading', { name: 'demo' }).waitFor();
      // Removing it is the UI's ordinary delete; a later --demo leaves it out (test/cli/first-run.test.ts).
      await page.getByRole('button', { name: 'Delete…' }).click();
      await page
        .getByRole('dialog', { name: 'Delete demo' })
        .getByRole('button', { name: 'Delete server' })
        .click();
      await eventually(() => JSON.parse(readFileSync(join(dir, 'mcp.json'), 'utf8')).mcpServers).toEqual({});
    } finally {
      await browser.close();
      await stopGroup(gateway);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
