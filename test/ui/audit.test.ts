import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditStore, auditPath } from '../../src/audit/audit-store.js';
import type { Identity } from '../../src/auth/identity.js';
import { TokenStore } from '../../src/auth/token-store.js';
import { openBrowser, type TestBrowser } from '../helpers/browser.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { blockingViolationsInBothThemes } from './axe.js';
import { eventually, signedIn } from './support.js';

const carol: Identity = { actor: 'carol', kind: 'token', role: 'operator', servers: null, expiresAt: null };

/** The Audit screen: admins read who did what, filter it and page through it; other roles are not offered it. */
describe('web UI: the audit log', { timeout: 120_000 }, () => {
  let storageDir: string;
  let gw: TestGateway;
  let browser: TestBrowser;
  let viewerToken: string;

  beforeAll(async () => {
    storageDir = mkdtempSync(join(tmpdir(), 'audit-ui-'));
    // A history longer than one page: 120 server changes by carol, every tenth refused.
    const store = AuditStore.open(auditPath(storageDir));
    for (let n = 1; n <= 120; n++) {
      store.append({
        actor: carol,
        source: '10.0.0.7',
        action: n % 2 ? 'server.add' : 'server.restart',
        target: `srv-${n}`,
        outcome: n % 10 === 0 ? 'refused' : 'ok',
        ...(n % 10 === 0 ? { detail: 'needs the admin role' } : {}),
      });
    }
    store.close();
    gw = await startTestGateway({ storageDir });
    viewerToken = new TokenStore(storageDir).create({ name: 'vic', role: 'viewer' }).value;
    browser = await signedIn(gw);
  });

  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
    rmSync(storageDir, { recursive: true, force: true });
  });

  it('offers admins the Audit screen: a table of entries, newest first (their own sign-in on top)', async () => {
    const { page } = browser;
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Audit' }).click();
    await page.getByRole('table', { name: /Audit log entries/ }).waitFor();
    expect(await page.title()).toBe('Audit · MCP Gateway');
    const first = page.getByRole('row').nth(1);
    await eventually(() => first.textContent()).toMatch(/^121.*owner · admin.*auth\.sign-in.*ok/);
    await expect.poll(() => page.getByRole('row').count()).toBe(101);
    await page.getByRole('button', { name: 'Load older entries' }).click();
    await eventually(() => page.getByRole('row').count()).toBe(122);
    await expect(page.getByRole('button', { name: 'Load older entries' }).count()).resolves.toBe(0);
    expect(await blockingViolationsInBothThemes(page)).toBe('');
  });

  it('filters by actor, action, outcome and dates, keeping the filters in the address', async () => {
    const { page } = browser;
    const form = page.getByRole('form', { name: 'Filter the audit log' });
    await form.getByLabel('Actor').fill('carol');
    await form.getByLabel('Outcome').selectOption('refused');
    await form.getByRole('button', { name: 'Apply filters' }).click();
    await eventually(() => page.getByRole('row').count()).toBe(13);
    expect(new URL(page.url()).searchParams.get('outcome')).toBe('refused');
    await expect(page.getByText('12 entries matching the filters')).toBeDefined();
    const targets = await page.locator('tbody tr td:nth-child(6)').allTextContents();
    expect(targets.slice(0, 3)).toEqual(['srv-120', 'srv-110', 'srv-100']);
    const details = await page.locator('tbody tr td:nth-child(8)').allTextContents();
    expect(new Set(details)).toEqual(new Set(['needs the admin role']));

    await form.getByLabel('Outcome').selectOption('');
    await form.getByLabel('Action (prefix)').fill('server.restart');
    await form.getByRole('button', { name: 'Apply filters' }).click();
    await eventually(() => page.getByRole('row').count()).toBe(61);

    await form.getByLabel('Until').fill('2000-01-01');
    await form.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('No entry matches these filters.').waitFor();
    expect(await blockingViolationsInBothThemes(page)).toBe('');

    await form.getByRole('button', { name: 'Clear filters' }).click();
    await eventually(() => page.getByRole('row').nth(1).textContent()).toMatch(/^121.*auth\.sign-in/);
    expect(new URL(page.url()).search).toBe('');
    expect(await form.getByLabel('Actor').inputValue()).toBe('');
    expect(browser.errors).toEqual([]);
  });

  it('is not offered to a viewer, and says why when opened directly', async () => {
    const other = await openBrowser();
    try {
      await other.page.goto(`${gw.url}/ui?token=${viewerToken}`);
      const nav = other.page.getByRole('navigation', { name: 'Screens' });
      await nav.getByRole('link', { name: 'Traffic' }).waitFor();
      expect(await nav.getByRole('link', { name: 'Audit' }).count()).toBe(0);
      await other.page.goto(`${gw.url}/ui/audit`);
      await other.page
        .getByText(/The audit log is for admins\. You are signed in as vic with the viewer role/)
        .waitFor();
      expect(await other.page.getByRole('table').count()).toBe(0);
    } finally {
      await other.close();
    }
  });
});
