import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { NewRecord } from '../../src/core/record.js';
import { openDatabase } from '../../src/store/database.js';
import { SqliteRecordSink } from '../../src/store/record-writer.js';
import { openBrowser, type TestBrowser } from '../helpers/browser.js';
import { TEST_TOKEN, type TestGateway } from '../helpers/gateway.js';

/**
 * Writes records into the gateway's logs.db as another process on the same storage dir would (wrap), in
 * one transaction; returns their ids.
 */
export function writeRecords(gw: TestGateway, records: NewRecord[]): number[] {
  const db = openDatabase(join(gw.storageDir, 'logs.db'));
  try {
    const sink = new SqliteRecordSink(db);
    const ids: number[] = [];
    sink.batch(() => {
      for (const record of records) ids.push(sink.insert(record));
    });
    return ids;
  } finally {
    db.close();
  }
}

/** A browser signed in to the gateway's UI the way a user is: by opening the printed link. */
export async function signedIn(gw: TestGateway, path = '/ui'): Promise<TestBrowser> {
  const browser = await openBrowser();
  // Fail a step with what it waited for, well before the test's own timeout.
  browser.page.setDefaultTimeout(10_000);
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: gw.url });
  await browser.page.goto(`${gw.url}/ui?token=${TEST_TOKEN}`);
  await browser.page.getByRole('navigation', { name: 'Screens' }).waitFor();
  if (path !== '/ui') await browser.page.goto(`${gw.url}${path}`);
  return browser;
}

/** The traffic table's rows (not its header), by their summary text. */
export function trafficRow(page: Page, summary: string | RegExp) {
  return page.getByRole('grid', { name: 'Traffic' }).getByRole('row').filter({ hasText: summary });
}

/** Summaries of the traffic rows on screen, top to bottom. */
export async function trafficSummaries(page: Page): Promise<string[]> {
  return page
    .getByRole('grid', { name: 'Traffic' })
    .locator('[data-record-id] [role=gridcell]:nth-child(6)')
    .allTextContents();
}

/** Marks the page so a test can tell it was not reloaded. */
export async function markPage(page: Page): Promise<() => Promise<boolean>> {
  await page.evaluate('window.uiTestMark = 1');
  return async () => (await page.evaluate('window.uiTestMark')) === 1;
}

/** The page fits the window: nothing sticks out sideways (a laptop screen stays usable). */
export async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
  expect(overflow).toBeLessThanOrEqual(0);
}

/** Polls until `read` satisfies the assertion that follows, for up to 10 s (UI updates are not instant). */
export function eventually<T>(read: () => T | Promise<T>) {
  return expect.poll(read, { timeout: 10_000, interval: 50 });
}
