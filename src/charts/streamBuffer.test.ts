import { describe, expect, it } from 'vitest';
import { createStreamBuffer } from './streamBuffer';

describe('createStreamBuffer', () => {
  it('keeps every point until it fills', () => {
    const b = createStreamBuffer(10);
    for (let i = 0; i < 9; i++) b.push({ x: i, y: i * i });
    expect(b.points().map((p) => p.x)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('thins to a uniform stride, keeps the first point and always shows the latest', () => {
    const b = createStreamBuffer(8);
    for (let i = 0; i < 100; i++) b.push({ x: i, y: 0 });
    const xs = b.points().map((p) => p.x);
    expect(xs.length).toBeLessThanOrEqual(8);
    expect(xs[0]).toBe(0);
    expect(xs[xs.length - 1]).toBe(99);
    // Kept points are the multiples of the final stride (16 after three halvings at 8 points).
    expect(xs.slice(0, -1)).toEqual([0, 16, 32, 48, 64, 80, 96]);
    expect(b.seen()).toBe(100);
  });

  it('stays bounded for any number of points', () => {
    const b = createStreamBuffer(5000);
    for (let i = 0; i < 123_457; i++) b.push({ x: i, y: Math.sin(i) });
    const xs = b.points().map((p) => p.x);
    expect(xs.length).toBeLessThanOrEqual(5000);
    expect(xs.length).toBeGreaterThanOrEqual(2500);
    expect(xs[0]).toBe(0);
    expect(xs[xs.length - 1]).toBe(123_456);
    expect(xs.every((x, i) => i === 0 || x > xs[i - 1])).toBe(true);
  });

  it('rejects a bound too small to thin', () => {
    expect(() => createStreamBuffer(2)).toThrow(
      'maxPointsPerSeries is 2, expected an integer of at least 4',
    );
  });
});
