// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { escapeHtml } from './escape';

const PAYLOADS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'><svg onload=alert(1)>",
  ']]>',
  '</style><script>alert(1)</script>',
  '&lt;already escaped&gt;',
];

describe('escapeHtml', () => {
  it('replaces exactly the five markup characters with entities', () => {
    expect(escapeHtml(`a&b<c>d"e'f`)).toBe('a&amp;b&lt;c&gt;d&quot;e&#39;f');
    expect(escapeHtml('plain text · N = 1,000')).toBe('plain text · N = 1,000');
    expect(escapeHtml(42)).toBe('42');
  });

  it('round-trips every payload as text, in an element and in a quoted attribute', () => {
    for (const p of PAYLOADS) {
      const doc = new DOMParser().parseFromString(
        `<!doctype html><p title="${escapeHtml(p)}" data-x='${escapeHtml(p)}'>${escapeHtml(p)}</p>`,
        'text/html',
      );
      const el = doc.body.firstElementChild!;
      expect(doc.body.children).toHaveLength(1);
      expect(el.textContent).toBe(p);
      expect(el.getAttribute('title')).toBe(p);
      expect(el.getAttribute('data-x')).toBe(p);
      expect(doc.querySelectorAll('script, img, svg')).toHaveLength(0);
      expect(Array.from(el.attributes).map((a) => a.name)).toEqual(['title', 'data-x']);
    }
  });

  it('keeps payloads inert inside a <style> element', () => {
    const doc = new DOMParser().parseFromString(
      `<!doctype html><head><style>/* ${escapeHtml('</style><script>alert(1)</script>')} */</style></head>`,
      'text/html',
    );
    expect(doc.querySelectorAll('script')).toHaveLength(0);
    expect(doc.querySelectorAll('style')).toHaveLength(1);
  });
});
