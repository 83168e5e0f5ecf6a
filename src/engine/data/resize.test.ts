import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../nodeBackend';
import { tf } from '../tf';
import { resizeImage } from './resize';

const run = (
  src: number[],
  from: [number, number, number],
  to: [number, number, number],
): number[] => {
  const out = new Float32Array(to[0] * to[1] * to[2]);
  resizeImage(Uint8Array.from(src), 0, from, to, out);
  return Array.from(out);
};

describe('resizeImage', () => {
  beforeAll(async () => {
    await initNodeBackend('cpu');
  });

  it('upsamples a 2×2 grey image to 4×4 as worked by hand (half-pixel centres)', () => {
    // Output column j samples x = (j + 0.5)/2 − 0.5 = −0.25→0, 0.25, 0.75, 1.25→1 (clamped);
    // rows likewise. Row 0 [0, 100] → 0, 25, 75, 100; row 1 [200, 40] → 200, 160, 80, 40.
    const r0 = [0, 25, 75, 100];
    const r1 = [200, 160, 80, 40];
    const mix = (t: number) => r0.map((v, i) => v * (1 - t) + r1[i] * t);
    const expected = [...r0, ...mix(0.25), ...mix(0.75), ...r1];
    expect(expected.slice(4, 8)).toEqual([50, 58.75, 76.25, 85]);
    const got = run([0, 100, 200, 40], [2, 2, 1], [4, 4, 1]);
    got.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 4));
  });

  it('halving a 4×4 image averages each 2×2 block', () => {
    const src = Array.from({ length: 16 }, (_, i) => i * 10);
    // Block means: (0+10+40+50)/4 = 25, (20+30+60+70)/4 = 45, 105, 125.
    run(src, [4, 4, 1], [2, 2, 1]).forEach((v, i) =>
      expect(v).toBeCloseTo([25, 45, 105, 125][i], 4),
    );
  });

  it('converts RGB to grey with BT.601 luma and grey to RGB by repeating', () => {
    expect(run([100, 50, 200], [1, 1, 3], [1, 1, 1])[0]).toBeCloseTo(
      0.299 * 100 + 0.587 * 50 + 0.114 * 200,
      4,
    );
    expect(run([77], [1, 1, 1], [1, 1, 3])).toEqual([77, 77, 77]);
    // Resize and convert together: a 1×2 RGB row [red, blue] to 1×4 grey.
    const red = 0.299 * 255;
    const blue = 0.114 * 255;
    const got = run([255, 0, 0, 0, 0, 255], [1, 2, 3], [1, 4, 1]);
    [red, 0.75 * red + 0.25 * blue, 0.25 * red + 0.75 * blue, blue].forEach((v, i) =>
      expect(got[i]).toBeCloseTo(v, 3),
    );
  });

  it('matches tf.image.resizeBilinear with half-pixel centres on an odd-sized RGB image', async () => {
    const [h, w, oh, ow] = [5, 7, 8, 3];
    const src = Array.from({ length: h * w * 3 }, (_, i) => (i * 37) % 256);
    const got = run(src, [h, w, 3], [oh, ow, 3]);
    const t = tf.image.resizeBilinear(tf.tensor3d(src, [h, w, 3]), [oh, ow], false, true);
    const want = await t.data();
    t.dispose();
    want.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 3));
  });

  it('names the shape it cannot read', () => {
    expect(() => run([1, 2], [1, 1, 2], [1, 1, 1])).toThrow(
      /resize\.ts.*input shape \[1, 1, 2\].*expected/,
    );
  });
});
