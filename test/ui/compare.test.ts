import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drifty } from '../diff/drifty-server.js';
import type { TestBrowser } from '../helpers/browser.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { connectClient, HOST_WITHOUT_ROOTS } from '../helpers/mcp-client.js';
import { stdioServers } from '../helpers/stdio.js';
import { blockingViolationsInBothThemes } from './axe.js';
import { eventually, signedIn, trafficRow } from './support.js';

const SCREENSHOT = fileURLToPath(new URL('../../docs/screenshots/compare.png', import.meta.url));

describe('web UI: compare and tool changes', () => {
  let gw: TestGateway;
  let browser: TestBrowser;
  const sessions: string[] = [];
  const server = drifty(mkdtempSync(join(tmpdir(), 'ui-drift-')), [
    { name: 'echo', description: 'Echoes a message', args: ['message'] },
    { name: 'add', description: 'Adds two numbers', args: ['a', 'b'] },
  ]);

  const session = async (name: string, calls: string[]) => {
    const connected = await connectClient(gw.proxyUrl(name), 'compare-client', HOST_WITHOUT_ROOTS);
    try {
      for (const message of calls) {
        await connected.client.callTool({ name: 'echo', arguments: { message } });
      }
      return connected.transport.sessionId as string;
    } finally {
      await connected.close();
    }
  };
  const listTools = async () => {
    const connected = await connectClient(gw.proxyUrl('drifty'), 'drift-client', HOST_WITHOUT_ROOTS);
    await connected.client.listTools();
    await connected.close();
  };

  beforeAll(async () => {
    gw = await startTestGateway({
      healthInterval: 0,
      servers: { local: stdioServers.everything(), drifty: server.entry },
    });
    sessions.push(await session('local', ['hello there', 'same words']));
    sessions.push(await session('local', ['goodbye now', 'same words']));
    await gw.gateway.flushCapture();
    browser = await signedIn(
      gw,
      `/ui/traffic?filter=${encodeURIComponent('method:tools/call kind:request')}`,
    );
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
  });

  it('marks two records from the keyboard and by checkbox, and compares them side by side', async () => {
    const { page } = browser;
    const first = trafficRow(page, 'hello there');
    const second = trafficRow(page, 'goodbye now');
    await first.waitFor();
    // Keyboard: focus the row and press Space; the mark is announced.
    await first.focus();
    await page.keyboard.press('Space');
    await eventually(() => page.locator('[aria-live=polite]').allTextContents()).toContainEqual(
      expect.stringMatching(/marked to compare; mark one more/),
    );
    await second.getByRole('checkbox', { name: /Compare record/ }).check();
    const compare = page.getByRole('link', { name: 'Compare the two records' });
    await compare.click();
    await page.waitForURL(/\/ui\/compare\?a=\d+&b=\d+/);
    const diff = page.getByRole('list', { name: 'Differences between the messages' });
    await diff.waitFor();
    const text = (await diff.textContent()) ?? '';
    expect(text).toContain('/params/arguments/message');
    expect(text).toContain('"hello there"');
    expect(text).toContain('"goodbye now"');
    // The JSON-RPC id is left out; the answers are compared too, and both messages are shown.
    expect(text).not.toContain('/id');
    await expect(
      page.getByRole('list', { name: 'Differences between their answers' }).textContent(),
    ).resolves.toContain('/result/content/0/text');
    expect(await page.getByRole('region', { name: 'A', exact: true }).textContent()).toContain('hello there');
    expect(await page.getByRole('region', { name: 'B', exact: true }).textContent()).toContain('goodbye now');
    expect(await blockingViolationsInBothThemes(page)).toBe('');
    await page.screenshot({ path: SCREENSHOT });
  });

  it('compares two sessions call by call', async () => {
    const { page } = browser;
    await page.goto(`${gw.url}/ui/sessions`);
    const list = page.getByRole('navigation', { name: 'Sessions' });
    for (const sid of sessions) {
      await list.getByRole('checkbox', { name: new RegExp(`Compare session ${sid.slice(0, 8)}`) }).check();
    }
    await list.getByRole('link', { name: 'Compare the two sessions' }).click();
    await page.waitForURL(/\/ui\/compare\?a=session/);
    const calls = page.getByRole('list', { name: 'Calls' });
    await calls.waitFor();
    const rows = calls.locator(':scope > li');
    await eventually(() => rows.count()).toBeGreaterThanOrEqual(3);
    const echoes = await calls.getByRole('listitem', { name: /tools\/call/ }).allTextContents();
    expect(echoes[0]).toContain('differs');
    expect(echoes[0]).toContain('/params/arguments/message');
    expect(echoes[1]).toContain('same');
    expect(await blockingViolationsInBothThemes(page)).toBe('');
  });

  it("flags a server whose tools changed between sessions on its page, live, with each tool's diff", async () => {
    const { page } = browser;
    await listTools();
    server.setTools([
      { name: 'echo', description: 'Echoes a message, loudly', args: ['message', 'volume'] },
      { name: 'multiply', description: 'Multiplies', args: ['a', 'b'] },
    ]);
    await listTools();
    await page.goto(`${gw.url}/ui/servers/drifty`);
    const section = page.getByRole('region', { name: 'Tool changes' });
    await eventually(() => section.textContent()).toContain("This server's tools changed");
    expect(await section.textContent()).toContain('1 added, 1 removed, 1 changed');
    const echo = section.getByRole('list', { name: 'How echo changed' });
    expect(await echo.textContent()).toContain('/description');
    expect(await echo.textContent()).toContain('/inputSchema/properties/volume');
    // A change while the page is open shows up without a reload.
    server.setTools([{ name: 'echo', description: 'Echoes a message, loudly', args: ['message', 'volume'] }]);
    await listTools();
    await eventually(() => section.textContent()).toContain('2 changes recorded');
    expect(await blockingViolationsInBothThemes(page)).toBe('');
  });
});
