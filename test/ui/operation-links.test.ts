import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startV2MrtrServer, type V2MrtrServer } from '../fixtures/sdk-v2-mrtr-server.js';
import type { TestBrowser } from '../helpers/browser.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { waitFor } from '../helpers/stdio.js';
import { signedIn } from './support.js';

describe('web UI: a multi-round operation', () => {
  let upstream: V2MrtrServer;
  let gw: TestGateway;
  let browser: TestBrowser | undefined;

  beforeAll(async () => {
    upstream = await startV2MrtrServer();
    gw = await startTestGateway({ servers: { mrtr: { type: 'http', url: upstream.url } } });
  });

  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
    await upstream?.stop();
  });

  it('links the retry and the round it continues both ways and shows the total beside the duration', async () => {
    const client = new Client(
      { name: 'ui-mrtr', version: '1.0.0' },
      { capabilities: { elicitation: { form: {} } }, versionNegotiation: { mode: { pin: '2026-07-28' } } },
    );
    client.setRequestHandler('elicitation/create', async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return { action: 'accept', content: { confirm: true } };
    });
    await client.connect(new StreamableHTTPClientTransport(new URL(gw.proxyUrl('mrtr'))));
    await client.callTool({ name: 'deploy', arguments: { env: 'prod' } });
    await client.close();
    const retry = await waitFor('the retry recorded', async () => {
      const records = await gw.records((r) => r.linkKind === 'mrtr-retry');
      return records[0];
    });

    browser = await signedIn(gw, `/ui/traffic?record=${retry.id}`);
    const { page } = browser;
    const detail = page.getByRole('complementary', { name: 'Message detail' });
    await detail.getByRole('region', { name: 'Response' }).waitFor();
    expect(await detail.textContent()).toMatch(/Operation total \d+ ms|Operation total \d+\.\d+ s/);
    await detail.getByRole('link', { name: `Continues request #${retry.linkedId}` }).click();
    // The pane now holds the first round: its request, and the answer that asked for input.
    const request = detail.getByRole('region', { name: 'Request' });
    await expect.poll(() => request.textContent(), { timeout: 10_000 }).toContain(`#${retry.linkedId}`);
    expect(await detail.getByRole('region', { name: 'Response' }).textContent()).toContain('input_required');
    expect(new URL(page.url()).searchParams.get('record')).toBe(String(retry.linkedId));
    // And forward again, from the round that asked to the retry that answered.
    await detail.getByRole('link', { name: `Continued by request #${retry.id}` }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('record')).toBe(String(retry.id));
    // Back on the retry, the Timing tab lists both.
    await page.goto(`${gw.url}/ui/traffic?record=${retry.id}`);
    await detail.getByRole('tab', { name: 'timing' }).click();
    const timing = await detail.getByRole('tabpanel').textContent();
    expect(timing).toContain('Operation total');
    expect(timing).toContain(`Continues#${retry.linkedId} (its earlier round)`);
  });
});
