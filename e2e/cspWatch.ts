import type { BrowserContext, Page } from '@playwright/test';

/** Records CSP violations (the DOM event, and the console lines Chromium writes for them). */
export async function watchCsp(
  context: BrowserContext,
): Promise<(page: Page) => Promise<string[]>> {
  const lines: string[] = [];
  await context.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  const onConsole = (text: string) => {
    if (/Content Security Policy|Refused to/i.test(text)) lines.push(text);
  };
  context.on('console', (m) => onConsole(m.text()));
  context.on('page', (p) => p.on('worker', (w) => w.on('console', (m) => onConsole(m.text()))));
  return async (page) => [
    ...lines,
    ...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)),
  ];
}

/** Every request the context makes; the page may ask only its own origin (and blob:/data:). */
export function watchRequests(context: BrowserContext): string[] {
  const urls: string[] = [];
  context.on('request', (r) => urls.push(r.url()));
  return urls;
}

/** The requests to anywhere but `origin` (blob: and data: URLs are the page's own). */
export function foreign(urls: string[], origin: string): string[] {
  return urls.filter(
    (u) => !u.startsWith(`${origin}/`) && !u.startsWith('blob:') && !u.startsWith('data:'),
  );
}
