// Bilinear resize and grey↔RGB conversion of one stored image row, done when a model reads it, so
// a user's images keep their own size and channels and each model gets its own input.

/** [H, W, C] of one image, C = 1 (grey) or 3 (RGB). */
export type ImageShape = readonly [number, number, number];

/** ITU-R BT.601 luma weights, as the image decoder uses for grey (imageDecoder.ts). */
const LUMA = [0.299, 0.587, 0.114] as const;

function checkShape(shape: ImageShape, what: string): void {
  const [h, w, c] = shape;
  if (!(h >= 1 && w >= 1 && (c === 1 || c === 3) && Number.isInteger(h) && Number.isInteger(w)))
    throw new Error(
      `resizeImage (resize.ts): ${what} shape [${shape.join(', ')}], expected [H ≥ 1, W ≥ 1, C = 1 or 3]`,
    );
}

/**
 * Where output index `i` of `outSize` samples the input of `inSize`: half-pixel centres
 * (align_corners = false, as PIL, OpenCV and tf.image with halfPixelCenters), clamped to the edge.
 * Returns the two input indices and the weight of the second.
 */
function axis(
  outSize: number,
  inSize: number,
): { lo: Int32Array; hi: Int32Array; t: Float32Array } {
  const lo = new Int32Array(outSize);
  const hi = new Int32Array(outSize);
  const t = new Float32Array(outSize);
  const scale = inSize / outSize;
  for (let i = 0; i < outSize; i++) {
    const x = Math.min(inSize - 1, Math.max(0, (i + 0.5) * scale - 0.5));
    lo[i] = Math.floor(x);
    hi[i] = Math.min(inSize - 1, lo[i] + 1);
    t[i] = x - lo[i];
  }
  return { lo, hi, t };
}

/**
 * Writes the uint8 [h, w, c] image `src` (from `srcOffset`) resized bilinearly to `to` = [H, W, C]
 * into `out` (from `outOffset`) as float [H, W, C] values on the 0–255 scale, unrounded. Grey to
 * RGB repeats the grey value; RGB to grey takes the BT.601 luma (both linear, so the order of
 * converting and resizing does not matter).
 */
export function resizeImage(
  src: ArrayLike<number>,
  srcOffset: number,
  from: ImageShape,
  to: ImageShape,
  out: Float32Array,
  outOffset = 0,
): void {
  checkShape(from, 'input');
  checkShape(to, 'output');
  const [h, w, c] = from;
  const [oh, ow, oc] = to;
  const ys = axis(oh, h);
  const xs = axis(ow, w);
  // One pixel's value in the output's channel `ch`, converted from the stored channels.
  const at = (y: number, x: number, ch: number): number => {
    const p = srcOffset + (y * w + x) * c;
    if (c === oc) return src[p + ch];
    if (c === 1) return src[p];
    return LUMA[0] * src[p] + LUMA[1] * src[p + 1] + LUMA[2] * src[p + 2];
  };
  for (let i = 0; i < oh; i++) {
    const [y0, y1, ty] = [ys.lo[i], ys.hi[i], ys.t[i]];
    for (let j = 0; j < ow; j++) {
      const [x0, x1, tx] = [xs.lo[j], xs.hi[j], xs.t[j]];
      const dst = outOffset + (i * ow + j) * oc;
      for (let ch = 0; ch < oc; ch++) {
        const top = at(y0, x0, ch) * (1 - tx) + at(y0, x1, ch) * tx;
        const bottom = at(y1, x0, ch) * (1 - tx) + at(y1, x1, ch) * tx;
        out[dst + ch] = top * (1 - ty) + bottom * ty;
      }
    }
  }
}
