// How one model reads a user's dataset: a view of the stored rows (no copy) that says how to make
// the model's input, batch by batch — images resized and converted to its H×W×C, raw texts
// tokenized with its own tokenizer.
import { tf } from '../tf';
import type { Tensor2D, Tensor4D } from '../tf';
import { IMAGE_MEAN, IMAGE_STD } from './batch';
import { resizeImage, type ImageShape } from './resize';
import { PAD_ID } from './tokenizer';
import type { Dataset, DataSplit, TextEncoder } from './types';

export type { InputFeed, TextEncoder } from './types';

/** `dataset`'s images as a model of input `shape` reads them: same rows, resized per batch. */
export function imageView(dataset: Dataset, shape: ImageShape): Dataset {
  if (dataset.kind !== 'image' || dataset.inputShape.length !== 3)
    throw new Error(
      `imageView (feed.ts): dataset "${dataset.name}" holds ${dataset.kind}s, expected [H, W, C] images`,
    );
  const stored = dataset.feed?.kind === 'image' ? dataset.feed.stored : dataset.inputShape;
  const [h, w, c] = stored;
  const view: Dataset = { ...dataset, inputShape: [...shape], feed: undefined };
  // Rows already of the model's shape are read as they are.
  if (shape.every((d, i) => d === stored[i])) return view;
  return { ...view, feed: { kind: 'image', stored: [h, w, c] } };
}

/** `dataset`'s raw texts as a model with `encoder` reads them: tokenized per batch. */
export function textView(dataset: Dataset, encoder: TextEncoder): Dataset {
  if (dataset.kind !== 'text' || !dataset.train.texts || !dataset.test.texts)
    throw new Error(
      `textView (feed.ts): dataset "${dataset.name}" holds no raw texts, expected a user's text dataset`,
    );
  return { ...dataset, inputShape: [encoder.seqLen], feed: { kind: 'text', encoder } };
}

function checkRows(split: DataSplit, indices: ArrayLike<number>, where: string): void {
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i];
    if (!Number.isInteger(r) || r < 0 || r >= split.n)
      throw new Error(
        `${where} (feed.ts): index ${r} at position ${i} is not a row of a split with ${split.n} rows`,
      );
  }
}

/**
 * Rows `indices` of images stored at `stored`, resized (bilinear) and converted to `to` = [H, W, C]
 * and normalised as imageBatch does: a float32 [B, C, H, W] batch.
 */
export function resizedImageBatch(
  split: DataSplit,
  indices: ArrayLike<number>,
  stored: ImageShape,
  to: ImageShape,
): Tensor4D {
  const size = stored[0] * stored[1] * stored[2];
  if (split.x.length !== split.n * size)
    throw new Error(
      `resizedImageBatch (feed.ts): the split holds ${split.x.length} values for ${split.n} rows, expected n × ${stored.join('×')}`,
    );
  checkRows(split, indices, 'resizedImageBatch');
  const [h, w, c] = to;
  const plane = h * w;
  const row = new Float32Array(plane * c); // [H, W, C]
  const out = new Float32Array(indices.length * plane * c); // [B, C, H, W]
  const scale = 1 / (255 * IMAGE_STD);
  const shift = IMAGE_MEAN / IMAGE_STD;
  for (let i = 0; i < indices.length; i++) {
    resizeImage(split.x, indices[i] * size, stored, to, row);
    const dst = i * plane * c;
    for (let p = 0; p < plane; p++)
      for (let ch = 0; ch < c; ch++) out[dst + ch * plane + p] = row[p * c + ch] * scale - shift;
  }
  return tf.tensor4d(out, [indices.length, c, h, w]);
}

/** Raw texts at `indices` tokenized by `encoder`: ids [B, T] int32, mask [B, T] (0 on [PAD]). */
export function encodedTextBatch(
  split: DataSplit,
  indices: ArrayLike<number>,
  encoder: TextEncoder,
): { ids: Tensor2D; mask: Tensor2D } {
  const texts = split.texts;
  if (!texts || texts.length !== split.n)
    throw new Error(
      `encodedTextBatch (feed.ts): the split holds ${texts?.length ?? 'no'} raw texts for ${split.n} rows`,
    );
  checkRows(split, indices, 'encodedTextBatch');
  const t = encoder.seqLen;
  const ids = new Int32Array(indices.length * t);
  const mask = new Float32Array(indices.length * t);
  for (let i = 0; i < indices.length; i++) encoder.encodeInto(texts[indices[i]], ids, i * t);
  for (let k = 0; k < ids.length; k++) mask[k] = ids[k] === PAD_ID ? 0 : 1;
  return {
    ids: tf.tensor2d(ids, [indices.length, t], 'int32'),
    mask: tf.tensor2d(mask, [indices.length, t], 'float32'),
  };
}
