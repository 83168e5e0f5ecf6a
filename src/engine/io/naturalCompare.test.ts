import { describe, expect, it } from 'vitest';
import { naturalCompare } from './naturalCompare';

const sorted = (names: string[]) => [...names].sort(naturalCompare);

describe('naturalCompare', () => {
  it('orders numbered layers by number', () => {
    expect(sorted(['layer_10', 'layer_2', 'layer_1', 'layer_0', 'layer_11'])).toEqual([
      'layer_0',
      'layer_1',
      'layer_2',
      'layer_10',
      'layer_11',
    ]);
  });

  it('compares several number runs and dotted names (Hugging Face style)', () => {
    expect(
      sorted(['blocks.10.out', 'blocks.2.out', 'blocks.2.attn', 'embed', 'blocks.1.out']),
    ).toEqual(['blocks.1.out', 'blocks.2.attn', 'blocks.2.out', 'blocks.10.out', 'embed']);
  });

  it('puts a prefix first and compares digit runs longer than a safe integer exactly', () => {
    expect(sorted(['a1', 'a', 'a0'])).toEqual(['a', 'a0', 'a1']);
    expect(naturalCompare('x99999999999999999999', 'x100000000000000000000')).toBe(-1);
  });

  it('is a total order: equal values with different padding still have a fixed order', () => {
    expect(naturalCompare('x01', 'x1')).not.toBe(0);
    expect(naturalCompare('x01', 'x1')).toBe(-naturalCompare('x1', 'x01'));
    expect(naturalCompare('same', 'same')).toBe(0);
  });

  it('is antisymmetric and transitive on a mixed sample', () => {
    const names = [
      'a',
      'a1',
      'a01',
      'a2',
      'a10',
      'a_1',
      'b',
      '1',
      '10',
      '2',
      '',
      'a1b',
      'a1b2',
      'A',
      'a 1',
    ];
    for (const x of names) {
      for (const y of names) {
        expect(naturalCompare(x, y) + naturalCompare(y, x)).toBe(0);
        expect(naturalCompare(x, y) === 0).toBe(x === y);
        for (const z of names) {
          if (naturalCompare(x, y) < 0 && naturalCompare(y, z) < 0)
            expect(naturalCompare(x, z)).toBe(-1);
        }
      }
    }
  });
});
