import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SCRIPT = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
let source: string | undefined;
function axeSource(): string {
  source ??= readFileSync(AXE_SCRIPT, 'utf8');
  return source;
}

/** The WCAG 2.2 AA rule set (axe tags each rule with the success criteria level it checks). */
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string; summary: string }[];
}

interface AxeResult {
  violations: {
    id: string;
    impact: string | null;
    help: string;
    nodes: { target: unknown[]; failureSummary?: string }[];
  }[];
}

/** Runs axe-core in the page against WCAG 2.2 A and AA; every violation, with where it is and why. */
export async function axeViolations(page: Page): Promise<Violation[]> {
  // Evaluated rather than added as a <script>: the UI's Content-Security-Policy rightly refuses inline scripts.
  if ((await page.evaluate('typeof window.axe')) !== 'object') await page.evaluate(axeSource());
  const result = (await page.evaluate(
    `window.axe.run(document, { runOnly: ${JSON.stringify(WCAG_AA)}, resultTypes: ['violations'] })`,
  )) as AxeResult;
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => ({
      target: n.target.map(String).join(' '),
      summary: (n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 300),
    })),
  }));
}

/** A readable list of violations for a failing assertion: rule, impact, and the first few elements. */
export function describeViolations(violations: readonly Violation[]): string {
  return violations
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n${v.nodes
          .slice(0, 6)
          .map((n) => `    ${n.target} — ${n.summary}`)
          .join('\n')}${v.nodes.length > 6 ? `\n    … ${v.nodes.length - 6} more` : ''}`,
    )
    .join('\n');
}

/** Serious and critical violations: the ones that stop someone from using the screen. */
export async function blockingViolations(page: Page): Promise<Violation[]> {
  return (await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Switches the theme the way the header's toggle does (a class on <html>), without moving focus. */
export async function setTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  await page.evaluate(
    `document.documentElement.classList.toggle('dark', ${theme === 'dark'}); localStorage.setItem('mcp-gateway-theme', '${theme}')`,
  );
}

/** Serious and critical violations in either theme, described per theme ('' when there are none); ends light. */
export async function blockingViolationsInBothThemes(page: Page): Promise<string> {
  const found: string[] = [];
  for (const theme of ['light', 'dark'] as const) {
    await setTheme(page, theme);
    const violations = await blockingViolations(page);
    if (violations.length > 0) found.push(`${theme} theme:\n${describeViolations(violations)}`);
  }
  await setTheme(page, 'light');
  return found.join('\n\n');
}
