import { describe, expect, it } from 'vitest';
import { readImageFolder, type ImageDecoder } from './imageFolder';
import { MAX_IMAGE_PIXELS, readImageSize } from './imageSize';

const bytes = (...parts: (number[] | string)[]) =>
  Uint8Array.from(
    parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)),
  );
const be32 = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const be16 = (n: number) => [n >>> 8, n & 255];
const le16 = (n: number) => [n & 255, n >>> 8];
const le24 = (n: number) => [n & 255, (n >>> 8) & 255, n >>> 16];
const le32 = (n: number) => [...le16(n & 0xffff), ...le16(n >>> 16)];

/** The first 33 bytes of a PNG: signature and IHDR (8-bit RGB). */
const png = (w: number, h: number) =>
  bytes([0x89], 'PNG\r\n\x1a\n', be32(13), 'IHDR', be32(w), be32(h), [8, 2, 0, 0, 0], be32(0));
/** SOI, an APP0 segment, a DQT-like segment, then a baseline (SOF0) or progressive (SOF2) frame. */
const jpeg = (w: number, h: number, sof = 0xc0) =>
  bytes(
    [0xff, 0xd8, 0xff, 0xe0],
    be16(16),
    'JFIF\0',
    new Array<number>(9).fill(0),
    [0xff, 0xff, 0xdb],
    be16(4),
    [0, 0],
    [0xff, sof],
    be16(11),
    [8],
    be16(h),
    be16(w),
    [1, 1, 0x11, 0],
  );
const riff = (chunk: string, data: number[]) =>
  bytes('RIFF', le32(4 + 8 + data.length), 'WEBP', chunk, le32(data.length), data);
const vp8 = (w: number, h: number) =>
  riff('VP8 ', [0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, ...le16(w), ...le16(h), 0, 0]);
const vp8l = (w: number, h: number) =>
  riff('VP8L', [0x2f, ...le32((w - 1) | ((h - 1) << 14)), 0, 0, 0, 0, 0]);
const vp8x = (w: number, h: number) => riff('VP8X', [0, 0, 0, 0, ...le24(w - 1), ...le24(h - 1)]);

describe('readImageSize', () => {
  it('reads width and height from PNG, JPEG (baseline and progressive) and all three WebP kinds', () => {
    expect(readImageSize(png(30000, 20000))).toEqual({
      format: 'PNG',
      width: 30000,
      height: 20000,
    });
    expect(readImageSize(jpeg(640, 480))).toEqual({ format: 'JPEG', width: 640, height: 480 });
    expect(readImageSize(jpeg(65535, 3, 0xc2))).toEqual({
      format: 'JPEG',
      width: 65535,
      height: 3,
    });
    expect(readImageSize(vp8(550, 368))).toEqual({ format: 'WebP', width: 550, height: 368 });
    expect(readImageSize(vp8l(16383, 2))).toEqual({ format: 'WebP', width: 16383, height: 2 });
    expect(readImageSize(vp8x(16777216, 1))).toEqual({
      format: 'WebP',
      width: 16777216,
      height: 1,
    });
  });

  it('gives undefined for other or truncated bytes, and never throws', () => {
    expect(readImageSize(bytes('GIF89a'))).toBeUndefined();
    expect(readImageSize(jpeg(5, 0))).toBeUndefined(); // height given later by a DNL segment
    expect(readImageSize(new Uint8Array(0))).toBeUndefined();
    for (const whole of [png(9, 9), jpeg(9, 9), vp8(9, 9), vp8l(9, 9), vp8x(9, 9)]) {
      for (let cut = 0; cut < whole.length; cut++) {
        const size = readImageSize(whole.subarray(0, cut));
        if (size) expect(size).toMatchObject({ width: 9, height: 9 });
      }
    }
  });
});

describe('readImageFolder and image sizes', () => {
  /** Fails as a browser does on an image it cannot hold: without saying why. */
  const browserLike: ImageDecoder = async (data, _name, [h, w, c]) => {
    if ((readImageSize(data)?.width ?? 0) > 20000)
      throw new Error('The source image could not be decoded.');
    return { pixels: new Uint8Array(h * w * c), width: 9, height: 9, colour: false };
  };
  const folder = (big: Uint8Array) => [
    { path: 'd/0/ok.png', read: async () => png(9, 9) },
    { path: 'd/1/huge.png', read: async () => big },
  ];

  it('refuses an image above the pixel limit by name and size, before decoding it', async () => {
    await expect(
      readImageFolder(folder(png(30000, 30000)), 'd', [2, 2, 1], browserLike),
    ).rejects.toThrow(
      `d/1/huge.png is too large: 30000×30000 pixels (900 megapixels), expected at most ${MAX_IMAGE_PIXELS / 1e6} megapixels per image`,
    );
    await expect(
      readImageFolder(folder(vp8x(40000, 2000)), 'd', [2, 2, 1], browserLike),
    ).rejects.toThrow('d/1/huge.png is too large: 40000×2000 pixels');
    await expect(readImageFolder(folder(jpeg(0, 5)), 'd', [2, 2, 1], browserLike)).rejects.toThrow(
      'd/1/huge.png: its JPEG header gives a size of 0×5, expected at least 1×1 pixels',
    );
  });

  it('decodes an image at the limit', async () => {
    const { rows } = await readImageFolder(folder(png(10000, 5000)), 'd', [2, 2, 1], browserLike);
    expect(rows.n).toBe(2);
  });
});
