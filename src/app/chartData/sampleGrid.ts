/**
 * RGBA pixels of a grid of images from a [k, H, W, C] uint8 block (C = 1 grey or 3 RGB), `cols`
 * images per row, each scaled up by `scale` (nearest neighbour) with a 1-pixel gutter.
 */
export function sampleGridPixels(
  images: Uint8Array,
  shape: readonly number[],
  count: number,
  cols: number,
  scale: number,
): { width: number; height: number; rgba: Uint8ClampedArray<ArrayBuffer> } {
  const [H, W, C] = shape.length === 3 ? shape : [shape[0], shape[1], 1];
  if (!(H > 0 && W > 0 && (C === 1 || C === 3)))
    throw new Error(
      `sample grid: input shape [${shape.join(', ')}], expected [H, W, 1] or [H, W, 3]`,
    );
  const k = Math.min(count, Math.floor(images.length / (H * W * C)));
  const rows = Math.ceil(k / cols);
  const cell = W * scale + 1;
  const rowH = H * scale + 1;
  const width = Math.max(1, cols * cell - 1);
  const height = Math.max(1, rows * rowH - 1);
  const rgba = new Uint8ClampedArray(width * height * 4).fill(255);
  for (let i = 0; i < k; i++) {
    const ox = (i % cols) * cell;
    const oy = Math.floor(i / cols) * rowH;
    for (let y = 0; y < H * scale; y++) {
      for (let x = 0; x < W * scale; x++) {
        const src = ((i * H + Math.floor(y / scale)) * W + Math.floor(x / scale)) * C; // [k, H, W, C]
        const dst = ((oy + y) * width + ox + x) * 4;
        // Dark ink on white: MNIST-style data stores ink as high values.
        rgba[dst] = 255 - images[src];
        rgba[dst + 1] = 255 - images[src + (C === 3 ? 1 : 0)];
        rgba[dst + 2] = 255 - images[src + (C === 3 ? 2 : 0)];
        rgba[dst + 3] = 255;
      }
    }
  }
  return { width, height, rgba };
}
