import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SdkServer, startSdkServer } from '../fixtures/sdk-server.js';
import type { TestBrowser } from '../helpers/browser.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { connectClient } from '../helpers/mcp-client.js';
import { signedIn, trafficRow } from './support.js';

const GITHUB = `ghp_${'Q1w2E3r4T5'.repeat(4)}`;

describe('web UI: redacted records', () => {
  let upstream: SdkServer;
  let gw: TestGateway;
  let browser: TestBrowser;

  beforeAll(async () => {
    upstream = await startSdkServer({ json: true });
    gw = await startTestGateway({ servers: { sdk: { type: 'http', url: upstream.url } } });
    browser = await signedIn(gw, '/ui/traffic');
  });

  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
    await upstream?.stop();
  });

  it('shows the redaction markers and how many values were redacted, and never the secret', async () => {
    const client = await connectClient(gw.proxyUrl('sdk'), 'ui-redaction');
    await client.client.callTool({ name: 'echo', arguments: { message: `push with ${GITHUB}` } });
    await client.close();
    const { page } = browser;
    await trafficRow(page, /echo\(message: push with/).click();
    const detail = page.getByRole('complementary', { name: 'Message detail' });
    const request = detail.getByRole('region', { name: 'Request' });
    const response = detail.getByRole('region', { name: 'Response' });
    await response.waitFor();
    expect(await request.textContent()).toContain('"message": "push with [REDACTED:github_token]"');
    expect(await request.textContent()).toContain('1 value redacted');
    expect(await response.textContent()).toContain('1 value redacted');
    expect(await page.content()).not.toContain(GITHUB);
  });
});
