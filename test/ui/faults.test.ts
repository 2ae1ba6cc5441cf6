import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenStore } from '../../src/auth/token-store.js';
import { openBrowser, type TestBrowser } from '../helpers/browser.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { connectClient, HOST_WITHOUT_ROOTS } from '../helpers/mcp-client.js';
import { stdioServers } from '../helpers/stdio.js';
import { blockingViolationsInBothThemes } from './axe.js';
import { eventually, signedIn } from './support.js';

const SCREENSHOT =
  process.env.FAULTS_SCREENSHOT ?? join(import.meta.dirname, '../../docs/screenshots/faults.png');

/** The Faults screen in Chromium: an operator arms a rule, every screen shows the banner, then it is removed. */
describe('web UI: Faults', { timeout: 90_000 }, () => {
  let gw: TestGateway;
  let owner: TestBrowser;
  let viewer: TestBrowser | undefined;

  beforeAll(async () => {
    gw = await startTestGateway({
      healthInterval: 0,
      servers: { everything: stdioServers.everything() },
    });
    owner = await signedIn(gw, '/ui/faults');
  });
  afterAll(async () => {
    await viewer?.close();
    await owner?.close();
    await gw?.stop();
  });

  const rules = async () =>
    ((await (await gw.api('/api/faults')).json()) as { faults: { id: string; filter: string }[] }).faults;

  it('arms a rule from the form, checking the filter as it is typed', async () => {
    const { page } = owner;
    expect(await page.title()).toBe('Faults · MCP Gateway');
    await page.getByText('None: the gateway forwards every message as it is.').waitFor();
    expect(await page.getByTestId('fault-banner').count()).toBe(0);
    expect(await blockingViolationsInBothThemes(page)).toBe('');

    const form = page.getByRole('form', { name: 'Arm a fault rule' });
    await form.getByLabel('Filter', { exact: true }).fill('methd:tools/call');
    await form.getByText('unknown field "methd": did you mean "method"?').waitFor();
    await form.getByLabel('Filter', { exact: true }).fill('method:tools/call duration>1s');
    await form.getByText(/duration cannot be used in a rule/).waitFor();
    await form.getByLabel('Filter', { exact: true }).fill('method:tools/call tool:echo');
    await form.getByRole('radio', { name: /HTTP status/ }).check();
    await form.getByLabel('HTTP status', { exact: true }).fill('200');
    await form.getByRole('button', { name: 'Arm rule' }).click();
    // Refused in the page, focus on the field at fault, and nothing armed.
    await form.getByText('HTTP status must be a whole number from 400 to 599.').waitFor();
    await eventually(() => page.evaluate('document.activeElement?.getAttribute("aria-invalid")')).toBe(
      'true',
    );
    expect(await rules()).toEqual([]);
    await form.getByLabel('HTTP status', { exact: true }).fill('503');
    await form.getByLabel('Chance (%)').fill('50');
    await form.getByRole('button', { name: 'Arm rule' }).click();

    const row = page.getByRole('row', { name: /f1/ });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/method:tools\/call tool:echo.*HTTP 503.*50%/);
    expect(await rules()).toMatchObject([{ filter: 'method:tools/call tool:echo' }]);
  });

  it('shows the banner on every screen while a rule is armed, for viewers too', async () => {
    const { page } = owner;
    const banner = page.getByTestId('fault-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('Fault injection is on: 1 rule armed.');
    // Real traffic through the rule: about half the calls are answered 503 by the gateway.
    const agent = await connectClient(gw.proxyUrl('everything'), 'flaky-agent', HOST_WITHOUT_ROOTS);
    const outcomes: string[] = [];
    for (let i = 0; i < 8; i++) {
      await agent.client.callTool({ name: 'echo', arguments: { message: `try ${i}` } }).then(
        () => outcomes.push('ok'),
        (error: Error) => outcomes.push(/503/.test(error.message) ? '503' : error.message),
      );
    }
    await agent.close();
    expect(outcomes.every((o) => o === 'ok' || o === '503')).toBe(true);
    const hits = outcomes.filter((o) => o === '503').length;
    await page.reload();
    await eventually(() => page.getByRole('row', { name: /f1/ }).textContent()).toMatch(
      new RegExp(`50%${hits}owner`),
    );
    await page.screenshot({ path: SCREENSHOT });
    for (const screen of ['Traffic', 'Sessions', 'Servers', 'Insights']) {
      await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: screen }).click();
      await banner.waitFor();
    }
    expect(await blockingViolationsInBothThemes(page)).toBe('');

    // A rule armed elsewhere (a script, an agent) shows up without a reload.
    const response = await gw.api('/api/faults', {
      method: 'POST',
      body: JSON.stringify({ filter: 'method:ping', delayMs: 100 }),
    });
    expect(response.status).toBe(201);
    await eventually(() => banner.textContent()).toContain('2 rules armed');

    const store = new TokenStore(gw.storageDir);
    const value = store.create({ name: 'ui-viewer', role: 'viewer' }).value;
    viewer = await openBrowser();
    await viewer.page.goto(`${gw.url}/ui?token=${value}`);
    await viewer.page.getByTestId('fault-banner').waitFor();
    // No Faults tab for a viewer, and the screen itself offers no controls.
    const nav = viewer.page.getByRole('navigation', { name: 'Screens' });
    expect(await nav.getByRole('link', { name: 'Faults' }).count()).toBe(0);
    await viewer.page.goto(`${gw.url}/ui/faults`);
    await viewer.page.getByRole('heading', { name: 'Fault injection is for operators' }).waitFor();
    expect(await viewer.page.getByRole('button', { name: /Arm rule|Remove/ }).count()).toBe(0);
  });

  it('removes the rules, and the banner goes away', async () => {
    const { page } = owner;
    await page.getByRole('banner').getByRole('link', { name: 'Faults' }).click();
    await page.getByRole('button', { name: 'Remove fault rule f1' }).click();
    await page.getByRole('button', { name: 'Remove fault rule f2' }).click();
    await page.getByText('None: the gateway forwards every message as it is.').waitFor();
    await eventually(() => page.getByTestId('fault-banner').count()).toBe(0);
    expect(await rules()).toEqual([]);
  });
});
