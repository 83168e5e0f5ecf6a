import { describe, expect, it } from 'vitest';
import { exportFileName, isoDay, slugify } from './fileName';

describe('export file names', () => {
  const date = new Date('2026-11-30T23:59:00Z');

  it('names a file strata-<chart>-<model>-<date>.<ext>', () => {
    expect(
      exportFileName({ chart: 'Cosine similarity', model: 'mnist-aligned', date, ext: 'svg' }),
    ).toBe('strata-cosine-similarity-mnist-aligned-2026-11-30.svg');
    expect(isoDay(date)).toBe('2026-11-30');
  });

  it('strips path separators, markup, dots at the ends and odd characters', () => {
    expect(slugify('../../etc/passwd')).toBe('etc-passwd');
    expect(slugify('<script>alert(1)</script>')).toBe('script-alert-1-script');
    expect(slugify('Difference A − B of Linear CKA, colour range ±0.4')).toBe(
      'difference-a-b-of-linear-cka-colour-range-0.4',
    );
    expect(slugify('Café Zürich')).toBe('cafe-zurich');
    expect(slugify('....')).toBe('chart');
    expect(slugify('x'.repeat(100))).toHaveLength(48);
    expect(
      exportFileName({ chart: 'A: loss', model: 'my model/v2 "best"', date, ext: 'c.s/v' }),
    ).toBe('strata-a-loss-my-model-v2-best-2026-11-30.csv');
  });

  it('falls back to placeholders when a part is empty', () => {
    expect(exportFileName({ chart: '—', model: null, date, ext: 'json' })).toBe(
      'strata-chart-no-model-2026-11-30.json',
    );
  });
});
