import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { repoRoot } from './host';

export const chromiumPath = process.env.OUTPOST_CHROMIUM ?? '/usr/bin/chromium';
export const screenshotDir = join(repoRoot, 'test-results/screenshots');

// Without the background-networking flags Chromium keeps calling home on a closed network.
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
}

export interface PageProblems {
  /** Console errors, uncaught exceptions and failed or refused requests, as readable lines. */
  messages: string[];
}

/** Opens a page in its own context and records everything that would show up red in DevTools. */
export async function openPage(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<{ page: Page; problems: PageProblems; close(): Promise<void> }> {
  // English unless a test says otherwise: the interface follows the system's language, and the tests read English words.
  const context = await browser.newContext({ viewport: { width: 1200, height: 760 }, locale: 'en-US', ...options });
  const page = await context.newPage();
  const problems: PageProblems = { messages: [] };
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') {
      problems.messages.push(`console.${message.type()}: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.messages.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) => {
    // A navigation or reload cancels open requests (the event stream): that is no fault.
    if (request.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.messages.push(`request failed: ${request.url()} (${request.failure()?.errorText ?? 'unknown'})`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.messages.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return { page, problems, close: () => context.close() };
}

/** Saves test-results/screenshots/<name>.png (gitignored) and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
