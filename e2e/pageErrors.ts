import type { Page } from '@playwright/test';

/** Collects page errors and console errors, so a spec can assert that none happened. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });
  page.on('crash', () => errors.push('page crashed'));
  return errors;
}
