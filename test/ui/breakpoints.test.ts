import { join } from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenStore } from '../../src/auth/token-store.js';
import { openBrowser, type TestBrowser } from '../helpers/browser.js';
import { type RunningEverything, startEverything } from '../helpers/everything.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { type ConnectedClient, connectClient, HOST_WITHOUT_ROOTS } from '../helpers/mcp-client.js';
import { stdioServers } from '../helpers/stdio.js';
import { blockingViolationsInBothThemes } from './axe.js';
import { eventually, signedIn } from './support.js';

const SCREENSHOT = join(import.meta.dirname, '..', '..', 'docs', 'screenshots', 'breakpoints.png');

/**
 * The Breakpoints screen in Chromium: a rule set in the UI holds the SDK client's tools/call, the held
 * message appears live (with a badge in the header), and a person edits it and forwards it; the client
 * gets the answer to the edited call, and the records say the gateway edited it.
 */
describe.each(['web', 'local'])('the Breakpoints screen (%s server)', (server) => {
  let everything: RunningEverything | undefined;
  let gw: TestGateway;
  let browser: TestBrowser;
  let client: ConnectedClient;

  beforeAll(async () => {
    if (server === 'web') everything = await startEverything();
    gw = await startTestGateway({
      healthInterval: 0,
      servers: {
        [server]: everything ? { type: 'http', url: everything.url } : stdioServers.everything(),
      },
    });
    client = await connectClient(gw.proxyUrl(server), 'ui-agent', HOST_WITHOUT_ROOTS);
    browser = await signedIn(gw, '/ui/breakpoints');
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await browser?.close();
    await gw?.stop();
    await everything?.stop();
  });

  it('holds a call live, and forwards it edited', async () => {
    const { page } = browser;
    const filter = page.getByLabel('Hold messages that match');
    await filter.fill('methd:tools/call');
    await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/did you mean "method"/);
    await filter.fill('method:tools/call tool:echo');
    await page.getByRole('button', { name: 'Add breakpoint' }).click();
    await page
      .getByRole('list', { name: 'Breakpoint rules' })
      .getByText('method:tools/call tool:echo')
      .waitFor();

    const answer = client.client.callTool({ name: 'echo', arguments: { message: 'as the agent wrote it' } });
    const card = page.getByTestId('held-message');
    await card.waitFor();
    await eventually(() => page.getByTestId('held-badge').textContent()).toContain('1');
    await expect.poll(() => card.textContent()).toContain('as the agent wrote it');
    if (server === 'web') await page.screenshot({ path: SCREENSHOT });
    expect(await blockingViolationsInBothThemes(page)).toBe('');

    await card.getByRole('button', { name: 'Edit & forward' }).click();
    const editor = card.getByLabel('Message to forward');
    const original = await editor.inputValue();
    await editor.fill('{ not json');
    await card.getByRole('alert').waitFor();
    await editor.fill(original.replace('as the agent wrote it', 'as a person changed it'));
    await card.getByRole('button', { name: 'Forward edited' }).click();

    const result = (await answer) as CallToolResult;
    expect((result.content[0] as { text: string }).text).toBe('Echo: as a person changed it');
    await eventually(() => page.getByTestId('held-message').count()).toBe(0);
    const edited = await gw.records((r) => r.origin === 'edited');
    expect(edited.some((r) => r.message.includes('as a person changed it'))).toBe(true);
  });

  it('keeps held messages across a reload, and drops one: the client gets the gateway’s error', async () => {
    const { page } = browser;
    const answer = client.client.callTool({ name: 'echo', arguments: { message: 'drop me' } }).then(
      () => 'answered',
      (error: Error) => error.message,
    );
    await page.getByTestId('held-message').waitFor();
    await page.reload();
    const card = page.getByTestId('held-message');
    await expect.poll(() => card.textContent()).toContain('drop me');
    await card.getByRole('button', { name: 'Drop' }).click();
    expect(await answer).toMatch(/gateway dropped this message/);
  });
});

describe('the Breakpoints screen for a viewer', () => {
  let gw: TestGateway;
  let browser: TestBrowser | undefined;
  beforeAll(async () => {
    gw = await startTestGateway({ healthInterval: 0 });
  });
  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
  });

  it('is not offered, and offers no controls when opened anyway', async () => {
    const value = new TokenStore(gw.storageDir).create({ name: 'ui-viewer', role: 'viewer' }).value;
    browser = await openBrowser();
    const { page } = browser;
    page.setDefaultTimeout(10_000);
    await page.goto(`${gw.url}/ui?token=${value}`);
    const nav = page.getByRole('navigation', { name: 'Screens' });
    await nav.waitFor();
    expect(await nav.getByRole('link', { name: 'Breakpoints' }).count()).toBe(0);
    await page.goto(`${gw.url}/ui/breakpoints`);
    await page.getByText('No breakpoints are set').waitFor();
    expect(await page.getByRole('button', { name: 'Add breakpoint' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: /Held messages/ }).count()).toBe(0);
  });
});
