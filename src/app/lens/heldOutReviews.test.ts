import { describe, expect, it } from 'vitest';
import { sampleIndices } from '../../engine/data/order';
import { heldOutIds, heldOutSpec } from './heldOutReviews';

describe('held-out reviews of a built-in LM', () => {
  // 6 reviews of 4 ids over an 8,000-word vocabulary; the LM reads the first 10 ids.
  const x = Uint16Array.from([
    2, 5, 0, 0, 3, 12, 9, 0, 4, 4, 4, 4, 7, 7999, 1, 0, 8, 9, 10, 11, 6, 0, 0, 0,
  ]);

  it('picks lens.json’s rows in its seeded order; ids past the vocabulary become [UNK], [PAD] is masked', () => {
    const spec = { split: 'test' as const, rows: 3, rowSeed: '1:lens' };
    const got = heldOutIds(x, 6, 4, spec, 10);
    const rows = [...sampleIndices(6, 3, '1:lens')];
    const want = (row: number) =>
      [...x.subarray(row * 4, row * 4 + 4)].map((v) => (v >= 10 ? 1 : v));
    expect(got.n).toBe(3);
    expect(got.source).toBe('imdb test reviews (the 3 held out in lens.json)');
    expect(got.arrays[0].shape).toEqual([3, 4]);
    expect([...got.arrays[0].data]).toEqual(rows.flatMap(want));
    expect([...got.arrays[1].data]).toEqual(
      rows.flatMap((r) => [...x.subarray(r * 4, r * 4 + 4)].map((v) => (v === 0 ? 0 : 1))),
    );
    // 12, 11 and 7999 all read as [UNK] by a 10-id LM.
    const all = heldOutIds(x, 6, 4, { ...spec, rows: 6 }, 10);
    expect(Math.max(...all.arrays[0].data)).toBeLessThan(10);
  });

  it('names lens.json and the field at fault', () => {
    expect(heldOutSpec({ split: 'test', rows: 500, rowSeed: '1:lens' }, 'm/lens.json')).toEqual({
      split: 'test',
      rows: 500,
      rowSeed: '1:lens',
    });
    expect(() => heldOutSpec({ split: 'train', rows: 5, rowSeed: 's' }, 'm/lens.json')).toThrow(
      'm/lens.json: split is train, expected "test"',
    );
    expect(() => heldOutSpec({ split: 'test', rows: 0, rowSeed: 's' }, 'm/lens.json')).toThrow(
      'm/lens.json: rows is 0',
    );
    expect(() => heldOutIds(x, 6, 4, { split: 'test', rows: 7, rowSeed: 's' }, 10)).toThrow(
      'rows 7, expected at most the 6 imdb test reviews',
    );
  });
});
