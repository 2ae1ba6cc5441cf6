import type { CDPSession, Page } from 'playwright-core';
import { openBrowser } from '../../test/helpers/browser.js';

/**
 * The web UI on the benchmark's store, in the system Chromium (headless, 1440×900): what a user waits for
 * on the screens issue 15 measured. Every time is taken inside the page (performance.now), from the click
 * to the first frame drawn after the screen shows its answer, so Playwright's own round trips count for
 * nothing.
 */
export interface UiReport {
  /** Insights, range 1h → 7d: click to charts drawn, one per fresh page load. */
  insights7d: number[];
  /** The big session: click on a row to its whole message shown in the detail panel. */
  select: number[];
  /** The longest task (ms) the page ran during any of those selections; 0 when none passed 50 ms. */
  selectLongestTask: number;
  /** The session's rows once all of them were loaded. */
  sessionRows: number;
  /** JS heap of the page with the whole session loaded and rows selected, MB: in use after a GC, and reserved. */
  heapUsedMb: number;
  heapTotalMb: number;
  /** DOM nodes in the page at that moment (every row drawn would be some 200,000). */
  domNodes: number;
  /** Scrolling the timeline at 3,000 px/s for 3 s: frames per second, and the longest frame. */
  scrollFps: number;
  scrollLongestFrameMs: number;
}

export interface UiPlan {
  origin: string;
  token: string;
  session: { id: string; server: string };
  /** Insights loads and row selections measured (after one of each to warm up). */
  runs: number;
}

/** Waits in the page until `done()` holds, a frame at a time; resolves with ms since `start` (null: timed out). */
const FRAME_WAIT = `
  async function untilDrawn(start, done, timeoutMs) {
    const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
    for (;;) {
      if (done()) {
        // The frame that shows it: the next animation frame starts after the DOM change was painted.
        await frame();
        return performance.now() - start;
      }
      if (performance.now() - start > timeoutMs) return null;
      await frame();
    }
  }
`;

async function insights7d(page: Page, origin: string): Promise<number> {
  await page.goto(`${origin}/ui/insights?range=1h`);
  await page.getByRole('img', { name: 'Requests and errors over time' }).waitFor({ timeout: 60_000 });
  await page.locator('[data-testid=insights-content][aria-busy=false]').waitFor({ timeout: 60_000 });
  const ms = await page.evaluate(`(async () => {
    ${FRAME_WAIT}
    const content = document.querySelector('[data-testid=insights-content]');
    const button = [...document.querySelectorAll('fieldset[aria-label="Time range"] button')]
      .find((b) => b.textContent === '7d');
    const start = performance.now();
    button.click();
    // Done when 7d is the range shown, its numbers are not a previous range's, and its chart is there.
    return untilDrawn(start, () =>
      button.getAttribute('aria-pressed') === 'true' &&
      content.getAttribute('aria-busy') === 'false' &&
      content.querySelector('[role=img][aria-label="Requests and errors over time"] rect') !== null,
      60000);
  })()`);
  if (typeof ms !== 'number') throw new Error('Insights did not show the last 7 days within 60 s');
  return ms;
}

/** Scrolls the timeline to its end until every row is loaded; returns how many rows it has. */
async function loadWholeSession(page: Page): Promise<number> {
  const list = page.getByRole('list', { name: 'Session timeline' });
  const scroller = page.getByTestId('timeline-scroll');
  let rows = 0;
  for (let i = 0; i < 400; i++) {
    await scroller.evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await page.waitForTimeout(100);
    const last = list.locator('li').last();
    const setSize = Number((await last.getAttribute('aria-setsize')) ?? 0);
    const position = Number((await last.getAttribute('aria-posinset')) ?? 0);
    // The footer's button stays while pages remain (labelled "Loading…" while one is fetched).
    const loadMore = await scroller.getByRole('button', { name: /Load the rest|Loading…/ }).count();
    if (setSize === rows && position === setSize && loadMore === 0) return rows;
    rows = setSize;
  }
  throw new Error(`the session's timeline did not finish loading (${rows} rows so far)`);
}

/** Clicks the `index`th row drawn on screen; resolves when its whole message shows in the detail panel. */
async function selectRow(page: Page, index: number): Promise<{ ms: number; longestTask: number }> {
  const result = (await page.evaluate(`(async () => {
    ${FRAME_WAIT}
    const buttons = document.querySelectorAll('ol[aria-label="Session timeline"] li button');
    const row = buttons[${index} % buttons.length];
    const before = document.querySelector('aside[aria-label="Message detail"]');
    let longestTask = 0;
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) longestTask = Math.max(longestTask, entry.duration);
    });
    observer.observe({ type: 'longtask' });
    const start = performance.now();
    row.click();
    // The panel is drawn anew for each record (keyed by id): done when the new one holds a message.
    const ms = await untilDrawn(start, () => {
      const aside = document.querySelector('aside[aria-label="Message detail"]');
      return aside !== null && aside !== before && aside.querySelector('[role=tabpanel] section') !== null;
    }, 30000);
    await new Promise((resolve) => setTimeout(resolve, 0));
    for (const entry of observer.takeRecords()) longestTask = Math.max(longestTask, entry.duration);
    observer.disconnect();
    return { ms, longestTask };
  })()`)) as { ms: number | null; longestTask: number };
  if (result.ms === null) throw new Error('a selected row did not show its message within 30 s');
  return { ms: result.ms, longestTask: result.longestTask };
}

/** Scrolls the timeline at a steady 3,000 px/s for 3 s from where it is, counting frames. */
async function scrollFrames(page: Page): Promise<{ fps: number; longest: number }> {
  return (await page.evaluate(`(async () => {
    const el = document.querySelector('[data-testid=timeline-scroll]');
    el.scrollTop = 0;
    await new Promise((resolve) => requestAnimationFrame(() => resolve()));
    const start = performance.now();
    let last = start;
    let frames = 0;
    let longest = 0;
    for (;;) {
      await new Promise((resolve) => requestAnimationFrame(() => resolve()));
      const now = performance.now();
      frames++;
      longest = Math.max(longest, now - last);
      last = now;
      if (now - start >= 3000) break;
      el.scrollTop = ((now - start) / 1000) * 3000;
    }
    return { fps: (frames * 1000) / (last - start), longest };
  })()`)) as { fps: number; longest: number };
}

async function heapMb(cdp: CDPSession): Promise<{ used: number; total: number; nodes: number }> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize, totalSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const nodes = metrics.find((metric) => metric.name === 'Nodes')?.value ?? Number.NaN;
  return { used: usedSize / 2 ** 20, total: totalSize / 2 ** 20, nodes };
}

export async function measureUi(plan: UiPlan): Promise<UiReport> {
  const browser = await openBrowser();
  try {
    const { page } = browser;
    page.setDefaultTimeout(60_000);
    await page.goto(`${plan.origin}/ui?token=${plan.token}`);
    await page.getByRole('navigation', { name: 'Screens' }).waitFor();

    const insights: number[] = [];
    for (let i = 0; i <= plan.runs; i++) {
      const ms = await insights7d(page, plan.origin);
      if (i > 0) insights.push(ms);
    }

    const { id, server } = plan.session;
    await page.goto(
      `${plan.origin}/ui/sessions/${encodeURIComponent(id)}?server=${encodeURIComponent(server)}`,
    );
    await page.getByRole('list', { name: 'Session timeline' }).locator('li').first().waitFor();
    const sessionRows = await loadWholeSession(page);
    // Back to the top and half a screen down: the rows selected are in the middle of what is drawn.
    await page.getByTestId('timeline-scroll').evaluate((el) => {
      el.scrollTop = el.scrollHeight / 2;
    });
    await page.waitForTimeout(300);
    const select: number[] = [];
    let selectLongestTask = 0;
    for (let i = 0; i <= plan.runs; i++) {
      const { ms, longestTask } = await selectRow(page, 3 + 2 * i);
      if (i > 0) select.push(ms);
      selectLongestTask = Math.max(selectLongestTask, longestTask);
    }
    const cdp = await page.context().newCDPSession(page);
    const heap = await heapMb(cdp);
    await page.keyboard.press('Escape');
    const scroll = await scrollFrames(page);
    return {
      insights7d: insights,
      select,
      selectLongestTask,
      sessionRows,
      heapUsedMb: heap.used,
      heapTotalMb: heap.total,
      domNodes: heap.nodes,
      scrollFps: scroll.fps,
      scrollLongestFrameMs: scroll.longest,
    };
  } finally {
    await browser.close();
  }
}
