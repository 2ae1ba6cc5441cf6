import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/** The system Chromium (Debian's package), with a fresh temporary profile; a downloaded browser is never used. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface TestBrowser {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Console errors and page errors seen so far: a clean UI has none. */
  errors: string[];
  close(): Promise<void>;
}

/** `args`: more Chromium switches, such as --ignore-certificate-errors-spki-list to trust one certificate. */
export async function openBrowser(options: { args?: string[] } = {}): Promise<TestBrowser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // No background traffic: this machine (and CI) has no internet, and the UI must need none.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      ...(options.args ?? []),
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return {
    browser,
    context,
    page,
    errors,
    async close() {
      await browser.close();
    },
  };
}
