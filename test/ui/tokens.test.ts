import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, type TestBrowser } from '../helpers/browser.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { blockingViolationsInBothThemes } from './axe.js';
import { eventually, signedIn } from './support.js';

/** The Tokens screen in Chromium: an admin creates, rotates and revokes; a token's holder signs in with it. */
describe('web UI: Tokens', { timeout: 90_000 }, () => {
  let gw: TestGateway;
  let admin: TestBrowser;
  let holder: TestBrowser | undefined;
  let value = '';

  beforeAll(async () => {
    gw = await startTestGateway({
      healthInterval: 0,
      servers: {
        github: { type: 'http', url: 'http://127.0.0.1:9/mcp' },
        jira: { type: 'http', url: 'http://127.0.0.1:9/mcp' },
      },
    });
    admin = await signedIn(gw, '/ui/tokens');
  });

  afterAll(async () => {
    await holder?.close();
    await admin?.close();
    await gw?.stop();
  });

  const statusWith = async (token: string) =>
    (await fetch(`${gw.url}/api/session`, { headers: { authorization: `Bearer ${token}` } })).status;

  it('offers the screen to the owner, empty at first, and accessible', async () => {
    const { page } = admin;
    await page.getByRole('link', { name: 'Tokens' }).waitFor();
    await page.getByRole('heading', { name: 'No named tokens yet' }).waitFor();
    expect(await page.title()).toBe('Tokens · MCP Gateway');
    expect(await blockingViolationsInBothThemes(page)).toBe('');
  });

  it('creates a token and shows its value once, with a copy button and a warning', async () => {
    const { page } = admin;
    await page.getByRole('button', { name: 'Create a token' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create a token' });
    // The dialog opens on its first field.
    await eventually(() => page.evaluate('document.activeElement?.id')).toMatch(/-input$/);
    await page.keyboard.type('ci bot');
    await dialog.getByText('Use letters, digits').waitFor();
    await dialog.getByLabel('Name').fill('ci-bot');
    await dialog.getByLabel('Only these servers').check();
    await dialog.getByRole('button', { name: 'Create token' }).click();
    // No server picked yet: the form says so and keeps what was typed.
    await dialog.getByText('Pick at least one server.').waitFor();
    await dialog.getByRole('checkbox', { name: 'github' }).check();
    await dialog.getByLabel('Expires after').selectOption({ label: '30 days' });
    expect(await blockingViolationsInBothThemes(page)).toBe('');
    await dialog.getByRole('button', { name: 'Create token' }).click();

    const issued = page.getByRole('dialog', { name: 'Token ci-bot created' });
    await issued.waitFor();
    await issued.getByText('you will not see it again').waitFor();
    value = await issued.getByLabel('Token value').inputValue();
    expect(value).toMatch(/^mgw_[A-Za-z0-9_-]{43}$/);
    expect(await issued.textContent()).toContain(`${gw.url}/ui?token=${value}`);
    expect(await blockingViolationsInBothThemes(page)).toBe('');
    await issued.getByRole('button', { name: 'Copy token' }).click();
    await eventually(() => page.evaluate('navigator.clipboard.readText()')).toBe(value);
    await issued.getByRole('button', { name: 'Done, I have copied it' }).click();

    // Gone for good: the page holds no copy of it, and the table shows what the token may do.
    const row = page.getByRole('row', { name: /ci-bot/ });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/ci-botviewergithub.*never/);
    expect(await page.content()).not.toContain(value);
    expect(await statusWith(value)).toBe(200);
    expect(await blockingViolationsInBothThemes(page)).toBe('');
  });

  it("the token's link signs its holder in with its role: no Tokens screen for a viewer", async () => {
    holder = await openBrowser();
    const { page } = holder;
    await page.goto(`${gw.url}/ui?token=${value}`);
    await page.getByRole('navigation', { name: 'Screens' }).waitFor();
    expect(page.url()).not.toContain(value);
    const session = (await page.evaluate(async () => (await fetch('/api/session')).json())) as {
      actor: string;
      role: string;
      servers: string[];
    };
    expect(session).toMatchObject({ actor: 'ci-bot', role: 'viewer', servers: ['github'] });
    // The header counts what the store holds of github; the process's own counters span every server.
    const counts = page.getByTestId('capture-counts');
    await counts.getByText(/stored/).waitFor();
    expect(await counts.textContent()).toMatch(/^[\d,]+ stored$/);
    await page.getByRole('link', { name: 'Servers' }).waitFor();
    expect(await page.getByRole('link', { name: 'Tokens' }).count()).toBe(0);
    await page.goto(`${gw.url}/ui/tokens`);
    await page.getByRole('heading', { name: 'Tokens are managed by admins' }).waitFor();
  });

  it('rotates after a confirmation: new value shown once, old value and its session refused at once', async () => {
    const { page } = admin;
    await page.getByRole('button', { name: 'Rotate ci-bot' }).click();
    const confirm = page.getByRole('dialog', { name: 'Rotate ci-bot?' });
    await confirm.getByText('The old value stops working at once').waitFor();
    await confirm.getByRole('button', { name: 'Rotate token' }).click();
    const issued = page.getByRole('dialog', { name: 'Token ci-bot rotated' });
    const rotated = await issued.getByLabel('Token value').inputValue();
    expect(rotated).not.toBe(value);
    expect(await statusWith(value)).toBe(401);
    expect(await statusWith(rotated)).toBe(200);
    const holderStatus = await holder?.page.evaluate(async () => (await fetch('/api/status')).status);
    expect(holderStatus).toBe(401);
    // Esc closes it too, and the focus goes back where it was.
    await page.keyboard.press('Escape');
    await issued.waitFor({ state: 'detached' });
    value = rotated;
  });

  it('revokes after a confirmation; Cancel changes nothing', async () => {
    const { page } = admin;
    await page.getByRole('button', { name: 'Revoke ci-bot' }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke ci-bot?' });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect(await page.evaluate('document.activeElement?.getAttribute("aria-label")')).toBe('Revoke ci-bot');
    expect(await statusWith(value)).toBe(200);

    await page.getByRole('button', { name: 'Revoke ci-bot' }).click();
    await confirm.getByRole('button', { name: 'Revoke token' }).click();
    await page.getByRole('heading', { name: 'No named tokens yet' }).waitFor();
    expect(await statusWith(value)).toBe(401);
  });

  it('has no console errors', () => {
    expect(admin.errors).toEqual([]);
  });
});
