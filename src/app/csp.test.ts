// The policy in index.html's <meta> and the one the preview server sends as a header (which is
// what reaches the engine's worker) must be the same.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../vite.config';

describe('Content Security Policy', () => {
  it('index.html declares the same policy the server sends', () => {
    const html = readFileSync(new URL('../../index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("connect-src 'self'");
  });
});
