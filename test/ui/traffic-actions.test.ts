import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SdkServer, startSdkServer } from '../fixtures/sdk-server.js';
import type { TestBrowser } from '../helpers/browser.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { type ConnectedClient, connectClient } from '../helpers/mcp-client.js';
import { blockingViolationsInBothThemes } from './axe.js';
import { eventually, signedIn, trafficRow } from './support.js';

/** The rough edges of the Traffic screen's actions a new user meets: Clear, a half-typed filter, Import. */
describe('web UI: traffic actions', () => {
  let upstream: SdkServer;
  let gw: TestGateway;
  let browser: TestBrowser;
  let client: ConnectedClient;
  const echo = (message: string) => client.client.callTool({ name: 'echo', arguments: { message } });

  beforeAll(async () => {
    upstream = await startSdkServer({ json: true });
    gw = await startTestGateway({ servers: { sdk: { type: 'http', url: upstream.url } } });
    client = await connectClient(gw.proxyUrl('sdk'), 'actions-client');
    for (const word of ['one', 'two', 'three']) await echo(word);
    browser = await signedIn(gw, '/ui/traffic');
    await trafficRow(browser.page, 'Echo: three').waitFor();
  });

  afterAll(async () => {
    await client?.close();
    await browser?.close();
    await gw?.stop();
    await upstream?.stop();
  });

  it('does not mark a term still being typed as wrong, and dims the rows while the filter in the box is wrong', async () => {
    const { page } = browser;
    const input = page.getByRole('combobox', { name: 'Filter' });
    await input.click();
    await input.pressSequentially('server:');
    // Well past the pause after which a finished mistake is pointed out.
    await page.waitForTimeout(900);
    expect(await input.getAttribute('aria-invalid')).toBe('false');
    expect(await page.getByRole('alert').count()).toBe(0);
    await input.pressSequentially('"open quote');
    await page.waitForTimeout(900);
    expect(await input.getAttribute('aria-invalid')).toBe('false');

    // Enter says what is wrong; the rows below stay, dimmed, and say they are for the previous filter.
    await input.press('Enter');
    await eventually(() => page.getByRole('alert').textContent()).toContain('unterminated quote');
    const note = page.getByText('Results are for the previous filter');
    await note.waitFor();
    expect(await note.evaluate((el) => el.getAttribute('aria-live'))).toBe('polite');
    const rows = page.locator('[data-stale]');
    expect(await rows.evaluate((el) => el.ownerDocument.defaultView?.getComputedStyle(el).filter)).toContain(
      'grayscale',
    );
    expect(await trafficRow(page, 'Echo: three').count()).toBe(1);
    expect(await blockingViolationsInBothThemes(page)).toBe('');

    // A finished mistake shows after a pause, without Enter.
    await input.fill('');
    await input.pressSequentially('methd:tools/call ');
    await eventually(() => input.getAttribute('aria-invalid')).toBe('true');
    await page.getByRole('button', { name: 'Clear filter' }).click();
    await eventually(() => page.getByText('Results are for the previous filter').count()).toBe(0);
    expect(await page.locator('[data-stale]').count()).toBe(0);
  });

  it('asks to clear with the number it will delete, and says how many it deleted', async () => {
    const { page } = browser;
    await page.goto(`${gw.url}/ui/traffic?filter=${encodeURIComponent('method:tools/call')}`);
    await trafficRow(page, 'Echo: three').waitFor();
    await page.getByRole('button', { name: 'Clear…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete matching messages' });
    // Three calls and their three answers.
    await eventually(() => dialog.textContent()).toContain('Delete 6 messages matching method:tools/call?');
    await dialog.getByRole('button', { name: 'Delete 6 messages' }).click();
    await eventually(() => page.getByText(/^Deleted \d+ messages?\.$/).textContent()).toBe(
      'Deleted 6 messages.',
    );
    expect((await gw.records()).filter((r) => r.method === 'tools/call')).toEqual([]);

    // Without a filter it counts everything there is.
    await page.goto(`${gw.url}/ui/traffic`);
    const left = (await gw.records()).length;
    await page.getByRole('button', { name: 'Clear…' }).click();
    const all = page.getByRole('dialog', { name: 'Delete all messages' });
    await eventually(() => all.textContent()).toContain(`Delete all ${left} messages, of every server?`);
    await all.getByRole('button', { name: 'Cancel' }).click();
  });

  it('imports an export file and says how many messages came in, and why a bad file brought none', async () => {
    const { page } = browser;
    await echo('to export');
    await page.goto(`${gw.url}/ui/traffic?filter=${encodeURIComponent('"to export"')}`);
    await trafficRow(page, 'Echo: to export').waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export' }).click(),
    ]);
    const exported = String(await download.path());
    const before = (await gw.records()).length;

    await page.getByRole('button', { name: 'Import…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import messages' });
    await dialog.getByLabel('Export file (.jsonl)').setInputFiles(exported);
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await eventually(() => dialog.getByRole('status').textContent()).toBe('Imported 2 messages.');
    expect((await gw.records()).length).toBe(before + 2);
    // The list shows them without a reload: the call twice now, and its answer twice.
    await eventually(() => trafficRow(page, 'Echo: to export').count()).toBe(2);

    // A JSON list of records (the API's own answer, saved) comes in too.
    const [first] = readFileSync(exported, 'utf8').trim().split('\n');
    await dialog.getByLabel('Export file (.jsonl)').setInputFiles({
      name: 'records.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ data: [JSON.parse(String(first))] }, null, 2)),
    });
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await eventually(() => dialog.getByRole('status').textContent()).toBe('Imported 1 message.');
    expect((await gw.records()).length).toBe(before + 3);

    await dialog.getByLabel('Export file (.jsonl)').setInputFiles({
      name: 'notes.jsonl',
      mimeType: 'application/x-ndjson',
      buffer: Buffer.from('this is not an export\n'),
    });
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    const alert = dialog.getByRole('alert');
    await eventually(() => alert.textContent()).toContain('Nothing was imported from notes.jsonl');
    expect(await alert.textContent()).toContain('line 1');
    expect(await blockingViolationsInBothThemes(page)).toBe('');
    expect((await gw.records()).length).toBe(before + 3);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('has no console errors but the refused import', () => {
    // The browser logs every 4xx answer; the bad file's 400 is the one this test asked for.
    expect(browser.errors.filter((error) => !error.includes('status of 400'))).toEqual([]);
  });
});
