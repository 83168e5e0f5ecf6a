import { tf } from '../tf';
import type { Tensor1D, Tensor2D, Tensor4D } from '../tf';
import { PAD_ID } from './tokenizer';
import type { DataSplit } from './types';

/**
 * Pixel normalisation, Hugging Face ViTImageProcessor's defaults (`image_mean` = `image_std` =
 * 0.5 per channel): v = (x / 255 − mean) / std, which maps [0, 255] onto [−1, 1].
 */
export const IMAGE_MEAN = 0.5;
export const IMAGE_STD = 0.5;

/**
 * Images at `indices` as a float32 batch in NCHW order, [B, C, H, W] (Hugging Face's pixel_values
 * layout), each pixel normalised as v = (x / 255 − IMAGE_MEAN) / IMAGE_STD. The split holds rows in
 * [H, W, C] order, `inputShape` = [H, W, C].
 */
export function imageBatch(
  split: DataSplit,
  indices: ArrayLike<number>,
  inputShape: number[],
): Tensor4D {
  if (inputShape.length !== 3) {
    throw new Error(`imageBatch: inputShape [${inputShape.join(', ')}], expected [H, W, C]`);
  }
  const [h, w, c] = inputShape;
  const size = h * w * c;
  checkSplit(split, size, 'imageBatch');
  checkIndices(split, indices, 'imageBatch');
  const b = indices.length;
  const out = new Float32Array(b * size);
  const plane = h * w;
  const scale = 1 / (255 * IMAGE_STD);
  const shift = IMAGE_MEAN / IMAGE_STD;
  for (let i = 0; i < b; i++) {
    const src = indices[i] * size;
    const dst = i * size;
    for (let p = 0; p < plane; p++) {
      for (let ch = 0; ch < c; ch++) {
        out[dst + ch * plane + p] = split.x[src + p * c + ch] * scale - shift;
      }
    }
  }
  return tf.tensor4d(out, [b, c, h, w]); // [B, C, H, W]
}

/**
 * Token rows at `indices`: `ids` [B, T] int32 and an attention `mask` [B, T] float32 that is 1 where
 * the id is not `[PAD]` (id 0) and 0 on padding.
 */
export function textBatch(
  split: DataSplit,
  indices: ArrayLike<number>,
): { ids: Tensor2D; mask: Tensor2D } {
  const t = split.n > 0 ? split.x.length / split.n : 0;
  checkSplit(split, t, 'textBatch');
  checkIndices(split, indices, 'textBatch');
  const b = indices.length;
  const ids = new Int32Array(b * t);
  const mask = new Float32Array(b * t);
  for (let i = 0; i < b; i++) {
    const src = indices[i] * t;
    for (let k = 0; k < t; k++) {
      const id = split.x[src + k];
      ids[i * t + k] = id;
      mask[i * t + k] = id === PAD_ID ? 0 : 1;
    }
  }
  return { ids: tf.tensor2d(ids, [b, t], 'int32'), mask: tf.tensor2d(mask, [b, t], 'float32') };
}

/** Labels at `indices`, [B] int32. */
export function labelBatch(split: DataSplit, indices: ArrayLike<number>): Tensor1D {
  if (split.y.length !== split.n) {
    throw new Error(`labelBatch: the split holds ${split.y.length} labels for ${split.n} rows`);
  }
  checkIndices(split, indices, 'labelBatch');
  const out = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = split.y[indices[i]];
  return tf.tensor1d(out, 'int32');
}

function checkSplit(split: DataSplit, rowLength: number, where: string): void {
  if (!Number.isInteger(rowLength) || split.x.length !== split.n * rowLength) {
    throw new Error(
      `${where}: the split holds ${split.x.length} input values for ${split.n} rows, expected n × ${rowLength}`,
    );
  }
  if (split.y.length !== split.n) {
    throw new Error(`${where}: the split holds ${split.y.length} labels for ${split.n} rows`);
  }
}

function checkIndices(split: DataSplit, indices: ArrayLike<number>, where: string): void {
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i];
    if (!Number.isInteger(r) || r < 0 || r >= split.n) {
      throw new Error(
        `${where}: index ${r} at position ${i} is not a row of a split with ${split.n} rows`,
      );
    }
  }
}
