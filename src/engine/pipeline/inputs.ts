import type { Tensor1D } from '../tf';
import { imageBatch, labelBatch, textBatch } from '../data/batch';
import { encodedTextBatch, resizedImageBatch } from '../data/feed';
import type { ImageShape } from '../data/resize';
import type { Dataset, DataSplit } from '../data/types';
import { numPositions, type ModelConfig } from '../model/config';
import type { ModelInput } from '../model/forward';

/**
 * The model input for rows `indices` of a split: pixels for image datasets, ids + mask for text.
 * A view made for one model (dataset.feed) resizes its images or tokenizes its texts here.
 */
export function inputBatch(
  dataset: Pick<Dataset, 'kind' | 'inputShape' | 'feed'>,
  split: DataSplit,
  indices: ArrayLike<number>,
): ModelInput {
  const feed = dataset.feed;
  if (feed?.kind === 'image') {
    const to = dataset.inputShape as unknown as ImageShape;
    return { kind: 'image', pixels: resizedImageBatch(split, indices, feed.stored, to) };
  }
  if (feed?.kind === 'text')
    return { kind: 'text', ...encodedTextBatch(split, indices, feed.encoder) };
  if (dataset.kind === 'image')
    return { kind: 'image', pixels: imageBatch(split, indices, dataset.inputShape) };
  const { ids, mask } = textBatch(split, indices);
  return { kind: 'text', ids, mask };
}

/** Tensors of a model input, for disposal. */
export function inputTensors(input: ModelInput) {
  return input.kind === 'image' ? [input.pixels] : [input.ids, input.mask];
}

/** Labels of rows `indices` as int32 [B]. */
export function labelsOf(split: DataSplit, indices: ArrayLike<number>): Tensor1D {
  return labelBatch(split, indices);
}

/** Contiguous chunks [start, end) of `n` rows, `size` at a time. */
export function* chunks(n: number, size: number): Generator<[number, number]> {
  for (let start = 0; start < n; start += size) yield [start, Math.min(n, start + size)];
}

/** Bytes of activations one forward batch may hold: one block's intermediates and every h_l. */
export const FORWARD_BATCH_BYTES = 256 * 2 ** 20;

/**
 * Samples per forward batch, at most `cap`: the built-in models keep `cap`, a real-size model
 * (BERT-base, ViT-B) takes fewer so that a batch holds about FORWARD_BATCH_BYTES — its attention
 * scores and MLP activations (a few live copies each, within one block) and the kept h_0..h_L.
 */
export function forwardBatchSize(config: ModelConfig, cap: number): number {
  const t = numPositions(config);
  const perSample =
    4 *
    (3 * config.numHeads * t * t +
      3 * t * config.mlpSize +
      2 * (config.numLayers + 1) * t * config.hiddenSize);
  return Math.max(1, Math.min(cap, Math.floor(FORWARD_BATCH_BYTES / perSample)));
}
