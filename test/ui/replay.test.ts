import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestBrowser } from '../helpers/browser.js';
import { type RunningEverything, startEverything } from '../helpers/everything.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { connectClient } from '../helpers/mcp-client.js';
import { blockingViolationsInBothThemes } from './axe.js';
import { eventually, signedIn } from './support.js';

const SCREENSHOT = join(import.meta.dirname, '..', '..', 'docs', 'screenshots', 'replay.png');

/** Edit & resend in the record detail, against server-everything over HTTP, in a real Chromium. */
describe('web UI: replay and edit & resend', () => {
  let everything: RunningEverything;
  let gw: TestGateway;
  let browser: TestBrowser;
  let callId = 0;

  beforeAll(async () => {
    everything = await startEverything();
    gw = await startTestGateway({ servers: { everything: { type: 'http', url: everything.url } } });
    const client = await connectClient(gw.proxyUrl('everything'), 'ui-client');
    // The tool list the editor checks arguments against: as this server listed it before the call.
    await client.client.listTools();
    await client.client.callTool({ name: 'echo', arguments: { message: 'as first sent' } });
    await client.close();
    const [call] = await gw.records((r) => r.method === 'tools/call' && r.kind === 'request');
    callId = call?.id ?? 0;
    browser = await signedIn(gw, `/ui/traffic?record=${callId}`);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
    await everything?.stop();
  });

  it('shows where an edit breaks the tool’s inputSchema, then sends a valid one and shows the diff', async () => {
    const { page } = browser;
    const detail = page.getByRole('complementary', { name: 'Message detail' });
    await detail.getByRole('button', { name: 'Edit & resend' }).click();
    const editor = detail.getByRole('textbox', { name: /Request to send/ });
    const send = detail.getByRole('button', { name: 'Send edited request' });
    const edit = async (args: unknown) => {
      const message = JSON.parse(await editor.inputValue()) as { params: { arguments: unknown } };
      message.params.arguments = args;
      await editor.fill(JSON.stringify(message, null, 2));
    };

    await edit({ message: 42, extra: true });
    const problems = detail.getByRole('list', { name: 'Problems in the edit' });
    await eventually(() => problems.textContent()).toContain(
      '/params/arguments/message must be string, not integer',
    );
    expect(await editor.getAttribute('aria-invalid')).toBe('true');
    expect(await send.isDisabled()).toBe(true);
    await expect
      .poll(() =>
        detail.getByText(/checked against the inputSchema of "echo" as the server listed it/).count(),
      )
      .toBe(1);
    expect(await blockingViolationsInBothThemes(page)).toBe('');

    await edit({ message: 'as edited in the UI' });
    await eventually(() => problems.count()).toBe(0);
    await send.click();
    const result = detail.getByRole('region', { name: 'Replay result' });
    await result.waitFor();
    const diff = result.getByRole('list', {
      name: /Differences between the original and the replayed answer/,
    });
    await eventually(() => diff.textContent()).toContain('/result/content/0/text');
    expect(await diff.textContent()).toContain('Echo: as edited in the UI');
    expect(await result.getByRole('region', { name: 'Original answer' }).textContent()).toContain(
      'Echo: as first sent',
    );
    expect(await result.getByRole('region', { name: 'Replay answer' }).textContent()).toContain(
      'Echo: as edited in the UI',
    );
    await page.screenshot({ path: SCREENSHOT });
    expect(await blockingViolationsInBothThemes(page)).toBe('');

    // The link opens the new request, which says what it replays.
    await result.getByRole('link', { name: /^request #\d+$/ }).click();
    await eventually(() => detail.getByText(`Replay of request #${callId}`).count()).toBe(1);
    const replays = await gw.records((r) => r.replayOf === callId);
    expect(replays.map((r) => r.kind).sort()).toEqual(['request', 'response']);
  });

  it('does not offer replay to a viewer', async () => {
    const created = await gw.api('/api/tokens', {
      method: 'POST',
      body: JSON.stringify({ name: 'ui-viewer', role: 'viewer' }),
    });
    const { value } = (await created.json()) as { value: string };
    const page = await browser.context.newPage();
    await page.goto(`${gw.url}/ui?token=${value}`);
    await page.getByRole('navigation', { name: 'Screens' }).waitFor();
    await page.goto(`${gw.url}/ui/traffic?record=${callId}`);
    const detail = page.getByRole('complementary', { name: 'Message detail' });
    await detail.getByText('Echo: as first sent').first().waitFor();
    expect(await detail.getByRole('button', { name: 'Replay' }).count()).toBe(0);
    expect(await detail.getByRole('button', { name: 'Edit & resend' }).count()).toBe(0);
    await page.close();
  });
});
