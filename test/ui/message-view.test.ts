import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SdkServer, startSdkServer } from '../fixtures/sdk-server.js';
import type { TestBrowser } from '../helpers/browser.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { type ConnectedClient, connectClient } from '../helpers/mcp-client.js';
import { makeRecord } from '../helpers/records.js';
import { blockingViolationsInBothThemes } from './axe.js';
import { eventually, signedIn, trafficRow, writeRecords } from './support.js';

/** A 1×1 PNG. */
const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
/** An SVG that would run script if it were shown as a document. */
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>').toString(
  'base64',
);

/** A tenth of a second of silence as 8 kHz, 8-bit mono WAV. */
function wav(): string {
  const samples = 800;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + samples, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(8000, 28);
  header.writeUInt16LE(1, 32);
  header.writeUInt16LE(8, 34);
  header.write('data', 36);
  header.writeUInt32LE(samples, 40);
  return Buffer.concat([header, Buffer.alloc(samples, 128)]).toString('base64');
}

describe('web UI: the message view', () => {
  let upstream: SdkServer;
  let gw: TestGateway;
  let browser: TestBrowser;
  let client: ConnectedClient;

  beforeAll(async () => {
    upstream = await startSdkServer({ json: true });
    gw = await startTestGateway({ servers: { sdk: { type: 'http', url: upstream.url } } });
    client = await connectClient(gw.proxyUrl('sdk'), 'viewer-client');
    await client.client.callTool({ name: 'echo', arguments: { message: 'echo echo' } });
    browser = await signedIn(gw, '/ui/traffic');
  });

  afterAll(async () => {
    await client?.close();
    await browser?.close();
    await gw?.stop();
    await upstream?.stop();
  });

  it('shows images and audio in a result as previews, never an SVG or a remote URL, and keeps the JSON', async () => {
    const { page } = browser;
    const result = {
      content: [
        { type: 'text', text: 'here you go' },
        { type: 'image', mimeType: 'image/png', data: PNG },
        { type: 'image', mimeType: 'image/svg+xml', data: SVG },
        { type: 'image', mimeType: 'image/png', data: 'https://example.invalid/x.png' },
        { type: 'audio', mimeType: 'audio/wav', data: wav() },
      ],
    };
    const message = JSON.stringify({ jsonrpc: '2.0', id: 7, result });
    writeRecords(gw, [
      makeRecord({
        server: 'media',
        direction: 'server_to_client',
        kind: 'response',
        jsonrpcId: 7,
        method: 'tools/call',
        summary: 'media result',
        message,
      }),
    ]);
    await page.reload();
    await trafficRow(page, 'media result').click();
    const response = page.getByRole('complementary', { name: 'Message detail' }).getByRole('region');
    const image = response.getByRole('img');
    await image.waitFor();
    expect(await image.count()).toBe(1);
    expect(await image.getAttribute('src')).toBe(`data:image/png;base64,${PNG}`);
    expect(await image.getAttribute('alt')).toContain('image/png');
    await eventually(() =>
      image.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
    ).toBe(1);
    const audio = response.locator('audio');
    expect(await audio.count()).toBe(1);
    expect(await audio.getAttribute('controls')).not.toBeNull();
    expect(await audio.getAttribute('src')).toMatch(/^data:audio\/wav;base64,UklGR/);
    await eventually(() =>
      audio.evaluate((a) => (a as unknown as { duration: number }).duration),
    ).toBeCloseTo(0.1, 2);
    // The SVG and the URL are left as text; the raw JSON is all there below the previews.
    expect(await response.locator('img[src*="svg"], img[src^="http"]').count()).toBe(0);
    const json = await response.textContent();
    expect(json).toContain('"mimeType": "image/svg+xml"');
    expect(json).toContain('"data": "https://example.invalid/x.png"');
    expect(json).toContain(`"data": "${PNG}"`);
    expect(await blockingViolationsInBothThemes(page)).toBe('');
  });

  it('counts the matches of a JSON search and steps through them', async () => {
    const { page } = browser;
    await page.goto(`${gw.url}/ui/traffic?filter=${encodeURIComponent('server:sdk method:tools/call')}`);
    await trafficRow(page, 'echo(message: echo echo)').click();
    const detail = page.getByRole('complementary', { name: 'Message detail' });
    await detail.getByRole('region', { name: 'Response' }).waitFor();
    const search = detail.getByRole('searchbox', { name: 'Search in JSON' });
    await search.fill('echo');
    // The tool's name, the argument and the answer's text: one highlight each.
    const count = detail.getByTestId('json-matches');
    await eventually(() => count.textContent()).toBe('3 matches');
    expect(await detail.locator('mark').count()).toBe(3);
    await detail.getByRole('button', { name: 'Next match' }).click();
    await eventually(() => count.textContent()).toBe('1 of 3');
    await search.press('Enter');
    await eventually(() => count.textContent()).toBe('2 of 3');
    expect(await detail.locator('mark[data-current]').textContent()).toBe('echo');
    await detail.getByRole('button', { name: 'Previous match' }).click();
    await detail.getByRole('button', { name: 'Previous match' }).click();
    await eventually(() => count.textContent()).toBe('3 of 3');
    expect(await blockingViolationsInBothThemes(page)).toBe('');
    await search.fill('nowhere to be found');
    await eventually(() => count.textContent()).toBe('No match');
  });

  it('splits the time of an answered call between the gateway and the upstream, with a bar', async () => {
    const { page } = browser;
    await page.goto(`${gw.url}/ui/traffic?filter=${encodeURIComponent('server:sdk method:tools/call')}`);
    await trafficRow(page, 'echo(message: echo echo)').first().click();
    const detail = page.getByRole('complementary', { name: 'Message detail' });
    await detail.getByRole('tab', { name: 'timing' }).click();
    const breakdown = detail.getByRole('region', { name: 'Where the time went' });
    await breakdown.waitFor();
    const [answer] = await gw.records((r) => r.kind === 'response' && r.method === 'tools/call');
    expect(answer?.gatewayMs).toBeGreaterThanOrEqual(0);
    expect(answer?.upstreamMs).toBeGreaterThanOrEqual(0);
    const figure = /^[\d.]+ (ms|µs)$/;
    const gateway = String(await breakdown.getByTestId('gateway-ms').textContent());
    const upstream = String(await breakdown.getByTestId('upstream-ms').textContent());
    expect(gateway).toMatch(figure);
    expect(upstream).toMatch(figure);
    expect(await breakdown.getByRole('img').getAttribute('aria-label')).toBe(
      `Gateway ${gateway}, upstream ${upstream}`,
    );
    const text = String(await breakdown.textContent());
    expect(text).toContain('from having the whole request to writing it to the upstream');
    expect(text).toContain('from the request written to the upstream to its answer back in full');
    expect(await blockingViolationsInBothThemes(page)).toBe('');
  });

  it('says so when an answer carries no split (captured before the gateway measured it)', async () => {
    const { page } = browser;
    const request = {
      server: 'older',
      method: 'tools/call',
      jsonrpcId: 8,
      summary: 'older call',
      // Recent: a record from 1970 would be deleted by retention's first run, ten seconds after start.
      time: Date.now() - 60_000,
    };
    const [requestId] = writeRecords(gw, [makeRecord(request)]);
    writeRecords(gw, [
      makeRecord({
        ...request,
        direction: 'server_to_client',
        kind: 'response',
        summary: 'older answer',
        time: request.time + 120,
        durationMs: 120,
        partnerId: requestId ?? null,
      }),
    ]);
    await page.goto(`${gw.url}/ui/traffic?filter=${encodeURIComponent('server:older')}`);
    await trafficRow(page, 'older answer').click();
    const detail = page.getByRole('complementary', { name: 'Message detail' });
    await detail.getByRole('tab', { name: 'timing' }).click();
    const breakdown = detail.getByRole('region', { name: 'Where the time went' });
    await breakdown.waitFor();
    const text = String(await breakdown.textContent());
    expect(text).toContain('120 ms from forwarding the request to its answer');
    expect(text).toContain('carries no split between the gateway’s time and the upstream’s');
    expect(await breakdown.getByTestId('gateway-ms').count()).toBe(0);
    expect(await blockingViolationsInBothThemes(page)).toBe('');
  });

  it('has no console errors', () => {
    expect(browser.errors).toEqual([]);
  });
});
