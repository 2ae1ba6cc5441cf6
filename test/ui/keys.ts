import type { Page } from 'playwright-core';

/** What has the keyboard focus, as a user (or a screen reader) would describe it. */
export interface Focused {
  tag: string;
  role: string | null;
  /** Its label, or its text. */
  name: string;
  /** A focus indicator is drawn: an outline, or a ring (box shadow), on it or on the label that shows it. */
  ringed: boolean;
  recordId: string | null;
  selected: string | null;
}

const FOCUSED = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const drawn = (node) => {
    if (!node) return false;
    const style = getComputedStyle(node);
    return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
  };
  return {
    tag: el.tagName.toLowerCase(),
    role: el.getAttribute('role'),
    name: (el.getAttribute('aria-label') || (el.labels && el.labels[0] ? el.labels[0].textContent : '') ||
      el.textContent || el.getAttribute('placeholder') || '')
      .replace(/\\s+/g, ' ').trim().slice(0, 80),
    ringed: drawn(el) || drawn(el.closest('label')),
    recordId: el.getAttribute('data-record-id'),
    selected: el.getAttribute('aria-selected'),
  };
})()`;

/** The element with the focus, or null when the focus fell to the page itself. */
export async function focused(page: Page): Promise<Focused | null> {
  return (await page.evaluate(FOCUSED)) as Focused | null;
}

/** Presses a key `times` times and returns where the focus was after each press. */
export async function walk(page: Page, key: string, times: number): Promise<(Focused | null)[]> {
  const stops: (Focused | null)[] = [];
  for (let i = 0; i < times; i++) {
    await page.keyboard.press(key);
    stops.push(await focused(page));
  }
  return stops;
}

/** Tabs forward until `match` has the focus (at most `limit` presses); fails with the stops it went through. */
export async function tabTo(page: Page, match: (f: Focused) => boolean, limit = 40): Promise<Focused> {
  const seen: string[] = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    if (now && match(now)) return now;
    seen.push(now ? `${now.tag}[${now.role ?? ''}] ${now.name}` : '(page)');
  }
  throw new Error(`Tab never reached the element; went through:\n  ${seen.join('\n  ')}`);
}
