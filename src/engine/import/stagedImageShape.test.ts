import { describe, expect, it } from 'vitest';
import { readImageFolder, type ImageDecoder } from './imageFolder';
import { MAX_IMAGE_SIDE, MAX_STAGED_IMAGE_BYTES, stagedImageShape } from './stagedImageShape';

describe('the size a user’s images are kept at', () => {
  it('is their own when small, else the longest side capped at 256 with the aspect kept', () => {
    expect(stagedImageShape(28, 28, false, 100)).toEqual([28, 28, 1]);
    expect(stagedImageShape(224, 224, true, 100)).toEqual([224, 224, 3]);
    expect(stagedImageShape(640, 480, true, 100)).toEqual([192, MAX_IMAGE_SIDE, 3]);
  });

  it('shrinks further so that all images fit the byte budget', () => {
    const [h, w, c] = stagedImageShape(256, 256, true, 100_000);
    expect(c).toBe(3);
    expect(h).toBe(w);
    expect(100_000 * h * w * c).toBeLessThanOrEqual(MAX_STAGED_IMAGE_BYTES);
    expect(100_000 * (h + 1) * (w + 1) * c).toBeGreaterThan(MAX_STAGED_IMAGE_BYTES);
  });

  it('a folder read without a target shape keeps the first image’s size and channels', async () => {
    const shapes: number[][] = [];
    // A 40×30 colour first image, then a grey one of another size.
    const decode: ImageDecoder = async (bytes, _name, shape) => {
      shapes.push([...shape]);
      const [h, w, c] = shape;
      const first = bytes[0] === 1;
      return {
        pixels: new Uint8Array(h * w * c).fill(bytes[0]),
        width: first ? 40 : 10,
        height: first ? 30 : 10,
        colour: first,
      };
    };
    const entries = [
      { path: 'd/cat/a.png', read: async () => Uint8Array.of(1) },
      { path: 'd/dog/b.png', read: async () => Uint8Array.of(2) },
    ];
    const { rows, notes } = await readImageFolder(entries, 'd', undefined, decode);
    expect(rows.inputShape).toEqual([30, 40, 3]);
    expect(rows.x.length).toBe(2 * 30 * 40 * 3);
    expect(shapes.at(-1)).toEqual([30, 40, 3]);
    expect(notes.join(' ')).toMatch(
      /1 of 2 images .* are resized to 40×30 \(the first image sets the size/,
    );
    expect(notes.join(' ')).toMatch(
      /1 images are converted to colour, as the first image has three channels/,
    );
  });
});
