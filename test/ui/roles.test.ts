import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/auth/roles.js';
import { TokenStore } from '../../src/auth/token-store.js';
import { openBrowser, type TestBrowser } from '../helpers/browser.js';
import { startTestGateway, TEST_TOKEN, type TestGateway } from '../helpers/gateway.js';
import { stdioServers } from '../helpers/stdio.js';

/** The web UI in Chromium, signed in with a token of each role: it offers only what the role may do. */
describe('web UI by role', () => {
  let gw: TestGateway;
  let tokens: TokenStore;
  let browser: TestBrowser | undefined;

  beforeAll(async () => {
    gw = await startTestGateway({
      healthInterval: 0,
      servers: { gamma: { type: 'http', url: 'http://127.0.0.1:9/mcp' } },
    });
    tokens = new TokenStore(gw.storageDir);
    // A program an agent asked for, waiting for approval (a client that cannot be asked holds it there).
    const agent = new Client({ name: 'agent', version: '1.0.0' });
    await agent.connect(
      new StreamableHTTPClientTransport(new URL(`${gw.url}/gateway/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${TEST_TOKEN}` } },
      }),
    );
    const held = await agent.callTool({
      name: 'add_server',
      arguments: { name: 'held', ...stdioServers.everything() },
    });
    expect(JSON.stringify(held.structuredContent)).toContain('awaiting-approval');
    await agent.close();
  });
  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
  });

  const signIn = async (role: Role, path: string, name = `ui-${role}`): Promise<Page> => {
    await browser?.close();
    const value = tokens.create({ name, role }).value;
    browser = await openBrowser();
    browser.page.setDefaultTimeout(10_000);
    await browser.page.goto(`${gw.url}/ui?token=${value}`);
    await browser.page.getByRole('navigation', { name: 'Screens' }).waitFor();
    await browser.page.goto(`${gw.url}${path}`);
    return browser.page;
  };
  const serverPage = async (page: Page) => {
    await page.getByRole('heading', { name: 'gamma' }).waitFor();
    // "Check now" is there for every role: the page has loaded its actions.
    await page.getByRole('button', { name: 'Check now' }).waitFor();
  };
  const count = (page: Page, name: string | RegExp) => page.getByRole('button', { name }).count();

  it('shows a viewer no add, edit, delete, restart, clear, import or approvals', async () => {
    const page = await signIn('viewer', '/ui/servers/gamma');
    await serverPage(page);
    for (const name of ['+ Add server', 'Edit', 'Delete…', 'Drop connections', 'Restart']) {
      expect(await count(page, name), name).toBe(0);
    }
    expect(await page.getByRole('region', { name: 'Awaiting approval' }).count()).toBe(0);
    await page.goto(`${gw.url}/ui/servers?add=1`);
    await serverPage(page);
    expect(await page.getByRole('dialog', { name: 'Add a server' }).count()).toBe(0);
    await page.goto(`${gw.url}/ui/traffic`);
    await page.getByRole('link', { name: 'Export' }).waitFor();
    expect(await count(page, /^Import/)).toBe(0);
    expect(await count(page, /^Clear…/)).toBe(0);
    // Nothing the page asked for was refused: it does not even ask for what the role cannot see.
    expect(browser?.errors).toEqual([]);
  }, 60_000);

  it('shows an operator server changes, clear and import, but no approvals and no secret store', async () => {
    const page = await signIn('operator', '/ui/servers/gamma');
    await serverPage(page);
    for (const name of ['+ Add server', 'Edit', 'Delete…', 'Drop connections']) {
      expect(await count(page, name), name).toBe(1);
    }
    expect(await page.getByRole('region', { name: 'Awaiting approval' }).count()).toBe(0);
    await page.getByRole('button', { name: '+ Add server' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a server' });
    await dialog.getByRole('button', { name: 'Add header' }).click();
    await dialog.getByLabel('Headers name 1', { exact: true }).waitFor();
    expect(await dialog.getByRole('button', { name: /^Store as secret/ }).count()).toBe(0);
    await page.goto(`${gw.url}/ui/traffic`);
    await page.getByRole('link', { name: 'Export' }).waitFor();
    expect(await count(page, /^Import/)).toBe(1);
    expect(await count(page, /^Clear…/)).toBe(1);
  }, 60_000);

  it('shows an admin the approvals and the secret store', async () => {
    const page = await signIn('admin', '/ui/servers/gamma');
    await page.getByRole('region', { name: 'Awaiting approval' }).getByText('held').first().waitFor();
    await page.getByRole('button', { name: '+ Add server' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a server' });
    await dialog.getByRole('button', { name: 'Add header' }).click();
    await dialog.getByRole('button', { name: 'Store as secret (Headers 1)' }).waitFor();
  }, 60_000);

  it('shows the sign-in screen once the token of a signed-in viewer is revoked', async () => {
    const page = await signIn('viewer', '/ui/traffic', 'ui-leaver');
    await page.getByRole('link', { name: 'Export' }).waitFor();
    tokens.revoke('ui-leaver');
    await page.getByRole('heading', { name: 'Sign in to MCP Gateway' }).waitFor({ timeout: 8_000 });
  }, 60_000);
});
