// What the browser tests check on a page, as a person (and an accessibility checker) would see it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT } from './cli.ts';
import { screenshot } from './chromium.ts';

const AXE_SOURCE = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

interface AxeViolation { id: string; help: string; nodes: Array<{ target: unknown[] }> }

/** Runs axe-core in the page (injected over DevTools, so the page's CSP does not apply) and lists violations. */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const { axe } = window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> } };
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations;
  });
  return violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/**
 * Light then dark colour scheme: zero axe violations in each (colour contrast included), the scheme
 * really changes the page, and a screenshot of each under test-output/NAME-light.png / NAME-dark.png.
 */
export async function checkBothSchemes(page: Page, name: string): Promise<void> {
  const backgrounds: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    assert.deepEqual(await axeViolations(page), [], `axe-core found problems in the ${colorScheme} scheme`);
    backgrounds.push(await page.evaluate(() => getComputedStyle(document.body).backgroundColor));
    await screenshot(page, `${name}-${colorScheme}`);
  }
  assert.notEqual(backgrounds[0], backgrounds[1], 'the page looks the same in light and dark mode');
  await page.emulateMedia({ colorScheme: null });
}

/** The visible text of the page, whitespace collapsed. */
export async function visibleText(page: Page): Promise<string> {
  return (await page.locator('body').innerText()).replace(/\s+/g, ' ').trim();
}

/** Every URL in the tab's session history (back/forward list), from the browser itself. */
export async function historyUrls(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { entries } = await cdp.send('Page.getNavigationHistory');
    return entries.map((entry) => entry.url);
  } finally {
    await cdp.detach();
  }
}

/**
 * Watches a tab from now on: every request it makes, the console errors of its current document
 * (cleared when it navigates), and calls to window.close() (recorded instead of closing, so the
 * test can still look at the page).
 */
export async function watchTab(page: Page) {
  const requests: URL[] = [];
  let consoleErrors: string[] = [];
  page.on('request', (request) => requests.push(new URL(request.url())));
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) consoleErrors = [];
  });
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  await page.addInitScript(() => {
    const w = window as unknown as { close(): void; __closeCalls: number };
    w.__closeCalls = 0;
    w.close = () => void (w.__closeCalls += 1);
  });
  return {
    requests,
    consoleErrors: () => consoleErrors,
    /** Resolves once the page has called window.close(). */
    closeRequested: () => page.waitForFunction(() => (window as unknown as { __closeCalls: number }).__closeCalls > 0),
  };
}
