import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openBrowser } from '../test/helpers/browser.js';
import { TEST_TOKEN } from '../test/helpers/gateway.js';
import { generateTraffic, startDemo } from './demo.js';

/**
 * `npm run screenshots`: the README's pictures of the web UI, taken from a real gateway with real servers
 * and real traffic, in the system Chromium. Writes docs/screenshots/*.png.
 */
const OUT = join(import.meta.dirname, '..', 'docs', 'screenshots');

async function shoot(page: Page, name: string): Promise<void> {
  // Fonts and charts settle after layout; wait for the network to be idle and one more frame.
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.waitForTimeout(150);
  await page.screenshot({ path: join(OUT, `${name}.png`) });
  console.log(`  ${name}.png`);
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const demo = await startDemo();
  const browser = await openBrowser();
  try {
    const { page } = browser;
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${demo.gw.url}/ui?token=${TEST_TOKEN}`);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByRole('navigation', { name: 'Screens' }).waitFor();
    // About two minutes of traffic in rounds, so the charts have a shape and the timelines quiet stretches.
    console.log('Generating traffic (about two minutes)…');
    await generateTraffic(demo.gw, 12, 9_000);
    console.log(`Screenshots of ${demo.gw.url}/ui into ${OUT}:`);

    await page.goto(`${demo.gw.url}/ui/traffic`);
    await page
      .getByRole('row')
      .filter({ hasText: /echo\(message: weather in/ })
      .first()
      .click();
    await page.getByRole('region', { name: 'Response' }).waitFor();
    await shoot(page, 'traffic');

    await page.goto(`${demo.gw.url}/ui/sessions`);
    await page.getByRole('link').filter({ hasText: 'claude-code' }).first().click();
    await page.getByRole('list', { name: 'Session timeline' }).waitFor();
    await shoot(page, 'session');

    await page.goto(`${demo.gw.url}/ui/servers/memory`);
    await page.getByRole('heading', { name: 'memory' }).waitFor();
    // One line per process: a client with roots gets a process of its own (docs/stdio-servers.md).
    await page.getByRole('region', { name: 'stderr' }).getByText('running on stdio').first().waitFor();
    await shoot(page, 'servers');

    await page.goto(`${demo.gw.url}/ui/insights?range=5m`);
    await page.getByRole('img', { name: /Requests and errors/ }).waitFor();
    await shoot(page, 'insights');

    await page.getByRole('button', { name: 'Dark theme' }).click();
    await page.goto(`${demo.gw.url}/ui/traffic`);
    await page.getByRole('row').filter({ hasText: 'tool error' }).first().click();
    await page.getByRole('region', { name: 'Response' }).waitFor();
    await shoot(page, 'traffic-dark');
    await page.getByRole('button', { name: 'Light theme' }).click();

    if (browser.errors.length > 0) throw new Error(`console errors:\n${browser.errors.join('\n')}`);
  } finally {
    await browser.close();
    await demo.stop();
  }
}

await main();
