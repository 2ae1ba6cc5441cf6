import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewRecord } from '../../src/core/record.js';
import type { TestBrowser } from '../helpers/browser.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { makeRecord } from '../helpers/records.js';
import { axeViolations, describeViolations } from './axe.js';
import { focused } from './keys.js';
import { eventually, signedIn, trafficRow, writeRecords } from './support.js';

const SESSION = 'big-session';
const SERVER = 'big';
const PAIRS = 6_000;
const START = Date.now() - 3 * 3_600_000;

function call(n: number): NewRecord {
  const message = JSON.stringify({
    jsonrpc: '2.0',
    id: n,
    method: 'tools/call',
    params: { name: 'echo', arguments: { message: `call ${n}` } },
  });
  return makeRecord({
    server: SERVER,
    sessionId: SESSION,
    time: START + n * 20,
    jsonrpcId: n,
    method: 'tools/call',
    summary: `call ${n}`,
    message,
  });
}

function answer(n: number, requestId: number): NewRecord {
  const message = JSON.stringify({
    jsonrpc: '2.0',
    id: n,
    result: { content: [{ type: 'text', text: `answer ${n}` }] },
  });
  return makeRecord({
    server: SERVER,
    sessionId: SESSION,
    time: START + n * 20 + 5,
    direction: 'server_to_client',
    kind: 'response',
    jsonrpcId: n,
    method: 'tools/call',
    summary: `answer ${n}`,
    durationMs: 5,
    partnerId: requestId,
    message,
  });
}

/** A session of 12,000 messages (6,000 answered calls), written as `wrap` would. */
function writeBigSession(gw: TestGateway): void {
  const [first] = writeRecords(gw, [call(1)]);
  if (first === undefined) throw new Error('no id for the first record');
  const records: NewRecord[] = [answer(1, first)];
  // Ids are handed out in order within one transaction, and nothing else writes meanwhile.
  for (let n = 2; n <= PAIRS; n++) records.push(call(n), answer(n, first + 2 * (n - 1)));
  const ids = writeRecords(gw, records);
  expect(ids.at(-1)).toBe(first + 2 * PAIRS - 1);
}

const timelineRows = (page: Page) => page.getByRole('list', { name: 'Session timeline' }).locator('li');
const timelineRow = (page: Page, summary: string) =>
  page
    .getByRole('list', { name: 'Session timeline' })
    .getByRole('button', { name: new RegExp(`${summary}(?!\\d)`) });

/** Pauses requests to a path until released, to look at the screen while they are under way. */
async function holdRequests(page: Page, pattern: string) {
  const held: (() => void)[] = [];
  let holding = true;
  await page.route(pattern, async (route) => {
    if (holding) await new Promise<void>((release) => held.push(release));
    await route.continue().catch(() => undefined);
  });
  return {
    release() {
      holding = false;
      for (const release of held.splice(0)) release();
    },
    stop: () => page.unroute(pattern),
  };
}

describe('web UI at scale', () => {
  let gw: TestGateway;
  let browser: TestBrowser;

  beforeAll(async () => {
    gw = await startTestGateway();
    writeBigSession(gw);
    writeRecords(gw, [
      makeRecord({
        server: 'old',
        sessionId: null,
        summary: 'from yesterday',
        time: Date.now() - 86_400_000,
      }),
    ]);
    browser = await signedIn(gw, '/ui/traffic');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
  });

  it('says what the header counts: nothing captured since this start, everything the store holds', async () => {
    const { page } = browser;
    const counts = page.getByTestId('capture-counts');
    await eventually(() => counts.textContent()).toBe(
      `0 captured since start · ${(2 * PAIRS + 1).toLocaleString('en-US')} stored`,
    );
    expect(await counts.getByText('stored').getAttribute('title')).toMatch(/in the store .* every run/);
    expect(await counts.getByText('captured since start').getAttribute('title')).toMatch(/since it started/);
  });

  it('shows the day in front of the time for a row from yesterday, and the whole moment in its tooltip', async () => {
    const { page } = browser;
    await page.goto(`${gw.url}/ui/traffic?filter=${encodeURIComponent('server:old')}`);
    const row = trafficRow(page, 'from yesterday');
    await row.waitFor();
    const time = row.getByRole('gridcell').first();
    const yesterday = new Date(Date.now() - 86_400_000);
    const text = (await time.textContent()) ?? '';
    expect(text).toMatch(new RegExp(`\\b${yesterday.getDate()}\\b.* \\d\\d:\\d\\d(:\\d\\d)?$`));
    const day = `${yesterday.getFullYear()}-${String(yesterday.getMonth() + 1).padStart(2, '0')}-${String(yesterday.getDate()).padStart(2, '0')}`;
    expect(await time.getAttribute('title')).toMatch(new RegExp(`^${day} \\d\\d:\\d\\d:\\d\\d\\.\\d{3}$`));
  });

  it('opens a session of 12,000 messages with only the rows on screen in the page, and selects a row at once', async () => {
    const { page } = browser;
    await page.goto(`${gw.url}/ui/sessions/${SESSION}?server=${SERVER}`);
    await timelineRow(page, 'call 1').waitFor();
    expect(await page.textContent('main')).toContain(`${(2 * PAIRS).toLocaleString('en-US')} messages`);
    expect(await timelineRows(page).count()).toBeLessThan(200);
    // Each row says where it is in the whole list, not in the few drawn.
    expect(await timelineRows(page).first().getAttribute('aria-setsize')).toBe('500');

    await timelineRow(page, 'answer 3').click();
    const detail = page.getByRole('complementary', { name: 'Message detail' });
    await eventually(() => detail.getByRole('region', { name: 'Response' }).textContent()).toContain(
      'answer 3',
    );
    await page.keyboard.press('j');
    await eventually(async () => (await focused(page))?.name ?? '').toMatch(/call 4(?!\d)/);
    expect(
      await page.getByRole('list', { name: 'Session timeline' }).locator('[aria-current=true]').textContent(),
    ).toMatch(/call 4(?!\d)/);
    await eventually(() => detail.getByRole('region', { name: 'Request' }).textContent()).toContain('call 4');
    expect(describeViolations(await axeViolations(page))).toBe('');
    await page.keyboard.press('Escape');
  });

  it('loads the rest of the session as it is scrolled, still drawing only what is on screen', async () => {
    const { page } = browser;
    const scroller = page.getByTestId('timeline-scroll');
    const last = timelineRow(page, `answer ${PAIRS}`);
    await expect
      .poll(
        async () => {
          await scroller.evaluate((el) => {
            el.scrollTop = el.scrollHeight;
          });
          return last.count();
        },
        { timeout: 60_000, interval: 200 },
      )
      .toBe(1);
    expect(await timelineRows(page).count()).toBeLessThan(200);
    expect(await timelineRows(page).last().getAttribute('aria-setsize')).toBe(String(2 * PAIRS));
  }, 90_000);

  it('follows a running session by fetching only what came after its last message', async () => {
    const { page } = browser;
    const reads: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === `/api/sessions/${SESSION}`)
        reads.push(url.searchParams.get('cursor') ?? 'first page');
    });
    const lastId = Number(await timelineRow(page, `answer ${PAIRS}`).getAttribute('data-record-id'));
    writeRecords(gw, [call(PAIRS + 1)]);
    await timelineRow(page, `call ${PAIRS + 1}`).waitFor();
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((cursor) => Number(cursor) >= lastId)).toBe(true);
    expect(await page.textContent('main')).toContain(`${(2 * PAIRS + 1).toLocaleString('en-US')} messages`);
  });

  it('shows at once that a new range is loading, marks the old numbers stale, and cancels the range it left', async () => {
    const { page } = browser;
    await page.goto(`${gw.url}/ui/insights?range=6h`);
    const content = page.getByTestId('insights-content');
    const chart = page.getByRole('img', { name: 'Requests and errors over time' });
    await chart.waitFor();
    expect(await content.getAttribute('aria-busy')).toBe('false');
    const opacity = () =>
      chart.evaluate((el) => Number(el.ownerDocument.defaultView?.getComputedStyle(el).opacity));
    expect(await opacity()).toBe(1);

    const aborted: string[] = [];
    page.on('requestfailed', (request: Request) => {
      const url = new URL(request.url());
      if (url.pathname === '/api/stats') aborted.push(url.searchParams.get('filter') ?? '');
    });
    const stats = await holdRequests(page, '**/api/stats?**');
    try {
      await page.getByRole('button', { name: '24h' }).click();
      await eventually(() => content.getAttribute('aria-busy')).toBe('true');
      expect(await page.getByRole('status').filter({ hasText: 'Loading…' }).isVisible()).toBe(true);
      // The old charts stay, faded, and say which range they are for.
      expect(await content.textContent()).toContain('Until then, these numbers are for the last 6h.');
      expect(await opacity()).toBeLessThan(1);
      expect(describeViolations(await axeViolations(page))).toBe('');

      await page.getByRole('button', { name: '7d' }).click();
      await eventually(() => aborted.filter((filter) => filter.includes('last:24h')).length).toBeGreaterThan(
        0,
      );
      stats.release();
      await eventually(() => content.getAttribute('aria-busy')).toBe('false');
      expect(await page.getByRole('status').filter({ hasText: 'Loading…' }).count()).toBe(0);
      expect(await opacity()).toBe(1);
      expect(await page.textContent('main')).toMatch(/Requests\s*6,002/);
    } finally {
      stats.release();
      await stats.stop();
    }
  });

  it('refetches statistics on new traffic without piling up requests while one is under way', async () => {
    const { page } = browser;
    const inFlight = new Map<string, number>();
    let most = 0;
    let aborted = 0;
    const key = (request: Request) => {
      const url = new URL(request.url());
      return url.pathname === '/api/stats' ? (url.searchParams.get('groupBy') ?? '') : null;
    };
    const change = (request: Request, by: number) => {
      const k = key(request);
      if (k === null) return;
      inFlight.set(k, (inFlight.get(k) ?? 0) + by);
      most = Math.max(most, inFlight.get(k) ?? 0);
    };
    page.on('request', (request) => change(request, 1));
    page.on('requestfinished', (request) => change(request, -1));
    page.on('requestfailed', (request) => {
      if (key(request) === null) return;
      aborted++;
      change(request, -1);
    });
    const stats = await holdRequests(page, '**/api/stats?**');
    try {
      // New traffic now and then for longer than the screen's refresh interval, while the answer is slow.
      for (let i = 0; i < 14; i++) {
        writeRecords(gw, [call(PAIRS + 10 + i)]);
        await page.waitForTimeout(500);
      }
      expect(most).toBe(1);
      expect(aborted).toBe(0);
      stats.release();
      await eventually(() => page.textContent('main')).toMatch(/Requests\s*6,016/);
    } finally {
      stats.release();
      await stats.stop();
    }
  }, 60_000);

  it('refetches filtered statistics only for traffic the filter counts', async () => {
    const { page } = browser;
    await page.goto(`${gw.url}/ui/insights?range=24h&filter=${encodeURIComponent('server:other')}`);
    await page.getByRole('heading', { name: 'No traffic in the last 24h' }).waitFor();
    // The view's own feed is open once it has said hello; from then on, count the statistics it asks for.
    await page.waitForTimeout(1000);
    let reads = 0;
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/stats') reads++;
    });
    for (let i = 0; i < 4; i++) {
      writeRecords(gw, [call(PAIRS + 100 + i)]);
      await page.waitForTimeout(500);
    }
    expect(reads).toBe(0);
    writeRecords(gw, [makeRecord({ server: 'other', sessionId: null, summary: 'counted' })]);
    await eventually(() => reads).toBeGreaterThan(0);
    await eventually(() => page.textContent('main')).toMatch(/Requests\s*1\s*Errors/);
  }, 60_000);

  it('has no console errors', () => {
    expect(browser.errors.filter((e) => !/ERR_ABORTED|aborted/i.test(e))).toEqual([]);
  });
});
