import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_REPLAY } from '../../src/api/live-feed.js';
import type { TestBrowser } from '../helpers/browser.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { makeRecord } from '../helpers/records.js';
import { eventually, signedIn, trafficSummaries, writeRecords } from './support.js';

describe('web UI: a filter whose matches are old', () => {
  let gw: TestGateway;
  let browser: TestBrowser;

  beforeAll(async () => {
    gw = await startTestGateway();
    writeRecords(gw, [makeRecord({ server: 'quiet', method: 'tools/list', summary: 'an old call' })]);
    writeRecords(
      gw,
      Array.from({ length: MAX_REPLAY + 500 }, () => makeRecord({ server: 'busy', summary: 'noise' })),
    );
  });

  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
  });

  it('shows the old matches once and waits for new ones, without reloading over and over', async () => {
    browser = await signedIn(gw, `/ui/traffic?filter=${encodeURIComponent('server:quiet')}`);
    const { page } = browser;
    let pageLoads = 0;
    let feeds = 0;
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/api/logs') pageLoads++;
      // The traffic's own feed; the app-wide activity feed may open after this listener does.
      if (url.pathname === '/api/events' && url.searchParams.get('activity') !== 'true') feeds++;
    });
    await eventually(() => trafficSummaries(page)).toEqual(['an old call']);
    await page.waitForTimeout(2000);
    // Reloading over and over made dozens of each in two seconds.
    expect(pageLoads).toBeLessThanOrEqual(2);
    expect(feeds).toBeLessThanOrEqual(2);
    expect(await page.textContent('main')).not.toContain('skipped');

    writeRecords(gw, [makeRecord({ server: 'quiet', method: 'tools/list', summary: 'a new call' })]);
    await eventually(() => trafficSummaries(page)).toEqual(['a new call', 'an old call']);
  });
});
