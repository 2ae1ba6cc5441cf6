import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestBrowser } from '../helpers/browser.js';
import { type RunningEverything, startEverything } from '../helpers/everything.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { stdioServers } from '../helpers/stdio.js';
import { blockingViolationsInBothThemes } from './axe.js';
import { signedIn } from './support.js';

interface LogPage {
  data: { method: string | null; kind: string; client: { name: string | null }; message: unknown }[];
}

/** The playground section of a server's page, connected and listing the server's tools. */
async function openPlayground(page: Page, url: string, server: string) {
  await page.goto(`${url}/ui/servers/${server}`);
  const playground = page.getByRole('region', { name: 'Playground' });
  await playground.getByRole('button', { name: 'Connect' }).click();
  await playground.getByRole('list', { name: 'Tools' }).waitFor();
  return playground;
}

async function chooseTool(playground: ReturnType<Page['getByRole']>, name: string) {
  await playground
    .getByRole('list', { name: 'Tools' })
    .getByRole('button', { name: new RegExp(`^${name}\\s*(,|$)`) })
    .click();
  await playground.getByRole('heading', { name, exact: true }).waitFor();
}

/**
 * The playground, driven in a real Chromium against server-everything over stdio and over Streamable HTTP:
 * an MCP client in the page, through the gateway's proxy, so every call is captured like any client's.
 */
describe.each([
  { transport: 'stdio', server: 'everything-stdio' },
  { transport: 'streamableHttp', server: 'everything-http' },
])('playground against server-everything over $transport', ({ server }) => {
  let everything: RunningEverything;
  let gw: TestGateway;
  let browser: TestBrowser;

  beforeAll(async () => {
    everything = await startEverything();
    gw = await startTestGateway({
      healthInterval: 0,
      servers: {
        'everything-stdio': stdioServers.everything(),
        'everything-http': { type: 'http', url: everything.url },
      },
    });
    browser = await signedIn(gw);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
    await everything?.stop();
  });

  it('opens no session until the person connects: viewing the page captures nothing', async () => {
    await browser.page.goto(`${gw.url}/ui/servers/${server}`);
    await browser.page
      .getByRole('region', { name: 'Playground' })
      .getByRole('button', { name: 'Connect' })
      .waitFor();
    await gw.gateway.flushCapture();
    expect(await gw.records((r) => r.clientName === 'mcp-gateway playground')).toEqual([]);
  }, 60_000);

  it('lists the tools, calls echo from its form, shows the result, and the call is captured as the playground', async () => {
    const playground = await openPlayground(browser.page, gw.url, server);
    // server-everything asks a new client that declares roots for them (roots/list): the person answers.
    const roots = playground.getByRole('region', { name: /asks for your roots/ });
    await roots.getByRole('textbox', { name: /Roots/ }).fill('file:///tmp/playground-root');
    await roots.getByRole('button', { name: 'Send roots' }).click();
    await roots.waitFor({ state: 'detached' });
    await chooseTool(playground, 'get-roots-list');
    await playground
      .getByRole('form', { name: 'Arguments for get-roots-list' })
      .getByRole('button', { name: 'Call' })
      .click();
    await playground
      .getByRole('region', { name: 'Result' })
      .getByText(/file:\/\/\/tmp\/playground-root/)
      .first()
      .waitFor();
    await chooseTool(playground, 'echo');
    const form = playground.getByRole('form', { name: 'Arguments for echo' });
    // A required field with its description as help, from the tool's inputSchema.
    const message = form.getByRole('textbox', { name: /message/ });
    expect(await message.getAttribute('aria-required')).toBe('true');
    await form.getByRole('button', { name: 'Call' }).click();
    await expect.poll(() => form.getByText('message is required.').count()).toBe(1);
    await message.fill('hello from the playground');
    await form.getByRole('button', { name: 'Call' }).click();
    const result = playground.getByRole('region', { name: 'Result' });
    await result.getByText('Echo: hello from the playground').waitFor();

    await gw.gateway.flushCapture();
    const logs = (await (
      await gw.api(`/api/logs?filter=${encodeURIComponent(`server:${server} method:tools/call`)}&limit=50`)
    ).json()) as LogPage;
    const call = logs.data.find(
      (r) => r.kind === 'request' && JSON.stringify(r.message).includes('hello from the playground'),
    );
    expect(call?.client.name).toBe('mcp-gateway playground');
  }, 60_000);

  it('edits the arguments as raw JSON too', async () => {
    const playground = await openPlayground(browser.page, gw.url, server);
    await chooseTool(playground, 'get-sum');
    const form = playground.getByRole('form', { name: 'Arguments for get-sum' });
    await form.getByRole('button', { name: 'Edit as JSON' }).click();
    await form.getByRole('textbox', { name: 'Arguments (JSON)' }).fill('{"a": 2, "b": 40}');
    await form.getByRole('button', { name: 'Call' }).click();
    await playground.getByRole('region', { name: 'Result' }).getByText(/is 42/).waitFor();
  }, 60_000);

  it('shows the elicitation the call triggers; the answer given in the UI comes back in the result', async () => {
    const playground = await openPlayground(browser.page, gw.url, server);
    await chooseTool(playground, 'trigger-elicitation-request');
    await playground
      .getByRole('form', { name: /Arguments for trigger-elicitation/ })
      .getByRole('button', { name: 'Call' })
      .click();
    const ask = playground.getByRole('region', { name: /asks you \(elicitation\)/ });
    await ask.getByText('Please provide inputs for the following fields:').waitFor();
    await ask.getByRole('textbox', { name: /^String\b.*\*/ }).fill('Ada Lovelace');
    await ask.getByRole('checkbox', { name: /Boolean/ }).check();
    await ask.getByRole('button', { name: 'Accept' }).click();
    await ask.waitFor({ state: 'detached' });
    const result = playground.getByRole('region', { name: 'Result' });
    await result.getByText(/Name: Ada Lovelace/).waitFor();
    await result.getByText(/Agreed to terms: true/).waitFor();
    // Defaults from the requested schema were sent as filled in.
    await result.getByText(/Favorite Integer: 42/).waitFor();
  }, 60_000);

  it('answers a sampling request with the reply the person types', async () => {
    const playground = await openPlayground(browser.page, gw.url, server);
    await chooseTool(playground, 'trigger-sampling-request');
    const form = playground.getByRole('form', { name: /Arguments for trigger-sampling/ });
    await form.getByRole('textbox', { name: /prompt/ }).fill('Say hi');
    await form.getByRole('button', { name: 'Call' }).click();
    const ask = playground.getByRole('region', { name: /asks for a model reply/ });
    await ask.getByText(/Say hi/).waitFor();
    await ask.getByRole('textbox', { name: /Assistant reply/ }).fill('Hi, typed by a person');
    await ask.getByRole('button', { name: 'Send reply' }).click();
    await playground
      .getByRole('region', { name: 'Result' })
      .getByText(/Hi, typed by a person/)
      .waitFor();
  }, 60_000);

  it('renders an image result as an image', async () => {
    const playground = await openPlayground(browser.page, gw.url, server);
    await chooseTool(playground, 'get-tiny-image');
    await playground
      .getByRole('form', { name: 'Arguments for get-tiny-image' })
      .getByRole('button', { name: 'Call' })
      .click();
    const image = playground.getByRole('region', { name: 'Result' }).getByRole('img', { name: /image\/png/ });
    await image.waitFor();
    expect(await image.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth > 0)).toBe(
      true,
    );
  }, 60_000);

  it('stops a long call: the server is told to cancel it', async () => {
    const playground = await openPlayground(browser.page, gw.url, server);
    await chooseTool(playground, 'trigger-long-running-operation');
    const form = playground.getByRole('form', { name: 'Arguments for trigger-long-running-operation' });
    await form.getByRole('spinbutton', { name: /duration/ }).fill('30');
    await form.getByRole('button', { name: 'Call' }).click();
    await form.getByRole('button', { name: 'Stop' }).click();
    await playground
      .getByRole('alert')
      .getByText(/Stopped: the playground told the server to cancel/)
      .waitFor();
    await gw.gateway.flushCapture();
    const cancelled = await gw.records(
      (r) =>
        r.server === server &&
        r.method === 'notifications/cancelled' &&
        r.clientName === 'mcp-gateway playground',
    );
    expect(cancelled.length).toBeGreaterThan(0);
  }, 60_000);

  it('reads a resource link a tool returns', async () => {
    const playground = await openPlayground(browser.page, gw.url, server);
    await chooseTool(playground, 'get-resource-links');
    await playground
      .getByRole('form', { name: 'Arguments for get-resource-links' })
      .getByRole('button', { name: 'Call' })
      .click();
    const result = playground.getByRole('region', { name: 'Result' });
    const first = result.getByRole('button', { name: /^Read demo:\/\// }).first();
    const uri = ((await first.getAttribute('aria-label')) ?? '').replace(/^Read /, '');
    await first.click();
    // The contents name the resource read, under its link.
    await result.getByText(uri, { exact: true }).nth(1).waitFor();
  }, 60_000);

  it('checks structuredContent against the outputSchema', async () => {
    const playground = await openPlayground(browser.page, gw.url, server);
    await chooseTool(playground, 'get-structured-content');
    const form = playground.getByRole('form', { name: 'Arguments for get-structured-content' });
    await form.getByRole('combobox', { name: /Choose city|location/ }).selectOption('Chicago');
    await form.getByRole('button', { name: 'Call' }).click();
    await playground
      .getByRole('region', { name: 'Result' })
      .getByText(/structuredContent matches the outputSchema/)
      .waitFor();
  }, 60_000);

  it('reads a resource, reads a template filled in, and gets a prompt', async () => {
    const playground = await openPlayground(browser.page, gw.url, server);
    await playground.getByRole('tab', { name: 'Resources' }).click();
    await playground
      .getByRole('list', { name: 'Resources' })
      .getByRole('button', { name: /architecture\.md/ })
      .click();
    await playground.getByRole('button', { name: 'Read' }).click();
    const contents = playground.getByRole('region', { name: 'Contents' });
    await contents.getByText('demo://resource/static/document/architecture.md').waitFor();

    await playground.getByRole('tab', { name: 'Resource templates' }).click();
    const template = playground.getByRole('form', { name: 'Variables of Dynamic Text Resource' });
    await template.getByRole('textbox', { name: /resourceId/ }).fill('7');
    await template.getByRole('button', { name: 'Read' }).click();
    await playground
      .getByRole('region', { name: 'Contents' })
      .getByText('demo://resource/dynamic/text/7')
      .waitFor();

    await playground.getByRole('tab', { name: 'Prompts' }).click();
    await playground
      .getByRole('list', { name: 'Prompts' })
      .getByRole('button', { name: /^args-prompt/ })
      .click();
    const prompt = playground.getByRole('form', { name: 'Arguments for args-prompt' });
    await prompt.getByRole('textbox', { name: /city/ }).fill('Lisbon');
    await prompt.getByRole('button', { name: 'Get prompt' }).click();
    await playground
      .getByRole('region', { name: 'Messages' })
      .getByText(/Lisbon/)
      .waitFor();
  }, 60_000);

  it('has no serious accessibility violations with a result and a question on screen; Cancel answers it', async () => {
    const playground = await openPlayground(browser.page, gw.url, server);
    await chooseTool(playground, 'get-structured-content');
    const form = playground.getByRole('form', { name: 'Arguments for get-structured-content' });
    await form.getByRole('combobox', { name: /location/ }).selectOption('Chicago');
    await form.getByRole('button', { name: 'Call' }).click();
    await playground.getByRole('region', { name: 'Result' }).waitFor();
    await chooseTool(playground, 'trigger-elicitation-request');
    await playground.getByRole('button', { name: 'Call' }).click();
    const ask = playground.getByRole('region', { name: /asks you \(elicitation\)/ });
    await ask.waitFor();
    expect(await blockingViolationsInBothThemes(browser.page)).toBe('');
    await ask.getByRole('button', { name: 'Cancel' }).click();
    await playground
      .getByRole('region', { name: 'Result' })
      .getByText(/cancelled the elicitation/)
      .waitFor();
    expect(browser.errors).toEqual([]);
  }, 60_000);
});

describe('playground against a stdio server that answers with audio', () => {
  let gw: TestGateway;
  let browser: TestBrowser;

  beforeAll(async () => {
    gw = await startTestGateway({ healthInterval: 0, servers: { fixture: stdioServers.fixture() } });
    browser = await signedIn(gw);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
  });

  it('renders an audio result as a player the browser can decode', async () => {
    const playground = await openPlayground(browser.page, gw.url, 'fixture');
    await chooseTool(playground, 'tone');
    await playground
      .getByRole('form', { name: 'Arguments for tone' })
      .getByRole('button', { name: 'Call' })
      .click();
    const result = playground.getByRole('region', { name: 'Result' });
    const audio = result.getByLabel('Audio result (audio/wav)');
    await audio.waitFor();
    await result.getByText('Audio audio/wav').waitFor();
    // The player loaded the WAV the server sent: a tenth of a second of sound.
    await expect
      .poll(() => audio.evaluate((node) => (node as unknown as { duration: number }).duration))
      .toBeCloseTo(0.1, 2);
    expect(browser.errors).toEqual([]);
  }, 60_000);
});
