import { join } from 'node:path';
import { openBrowser } from '../test/helpers/browser.js';
import { startTestGateway, TEST_TOKEN } from '../test/helpers/gateway.js';
import { stdioServers } from '../test/helpers/stdio.js';

/**
 * `node --import tsx scripts/screenshot-playground.ts` (after `npm run build`): docs/screenshots/playground.png,
 * the playground on server-everything (stdio) in a real gateway and the system Chromium, with a result
 * on screen and an elicitation the next call triggered waiting for an answer.
 */
const OUT = join(import.meta.dirname, '..', 'docs', 'screenshots', 'playground.png');

async function main(): Promise<void> {
  const gw = await startTestGateway({
    healthInterval: 0,
    servers: { everything: stdioServers.everything() },
  });
  const browser = await openBrowser();
  try {
    const { page } = browser;
    await page.setViewportSize({ width: 1440, height: 1400 });
    await page.emulateMedia({ colorScheme: 'light' });
    page.setDefaultTimeout(15_000);
    await page.goto(`${gw.url}/ui?token=${TEST_TOKEN}`);
    await page.getByRole('navigation', { name: 'Screens' }).waitFor();
    await page.goto(`${gw.url}/ui/servers/everything`);
    const playground = page.getByRole('region', { name: 'Playground' });
    await playground.getByRole('button', { name: 'Connect' }).click();
    const roots = playground.getByRole('region', { name: /asks for your roots/ });
    await roots.getByRole('textbox').fill('file:///home/me/project');
    await roots.getByRole('button', { name: 'Send roots' }).click();
    const tools = playground.getByRole('list', { name: 'Tools' });
    await tools.getByRole('button', { name: /^get-structured-content\s*,/ }).click();
    await playground.getByRole('combobox', { name: /location/ }).selectOption('Chicago');
    await playground.getByRole('button', { name: 'Call' }).click();
    await playground
      .getByRole('region', { name: 'Result' })
      .getByText(/matches the outputSchema/)
      .waitFor();
    await tools.getByRole('button', { name: /^trigger-elicitation-request\s*,/ }).click();
    await playground.getByRole('button', { name: 'Call' }).click();
    const ask = playground.getByRole('region', { name: /asks you \(elicitation\)/ });
    await ask.getByRole('textbox', { name: /^String\b.*\*/ }).fill('Ada Lovelace');
    await page.waitForTimeout(200);
    await playground.screenshot({ path: OUT });
    console.log(`wrote ${OUT}`);
    await ask.getByRole('button', { name: 'Cancel' }).click();
  } finally {
    await browser.close();
    await gw.stop();
  }
}

await main();
