// Every layer's hidden states of a batch of inputs, as transformers' `output_hidden_states` gives.
import { tf } from '../tf';
import type { Tensor2D, Tensor3D } from '../tf';
import type { NamedArray } from '../io/dtypes';
import { forward, type ModelInput } from '../model/forward';
import type { LoadedModel } from '../pipeline/evaluate';
import { chunks } from '../pipeline/inputs';
import type { ModelInputArrays } from './modelInputArrays';

export interface HiddenStatesOptions {
  /** Samples per forward pass (default 16). */
  batchSize?: number;
  onProgress?(done: number, total: number): void;
}

/** The tensors of rows [start, end) of `input`. The caller disposes them (inside a tidy). */
function batchInput(input: ModelInputArrays, start: number, end: number): ModelInput {
  const b = end - start;
  if (input.kind === 'image') {
    const [, c, h, w] = input.shape;
    const size = c * h * w;
    const pixels = input.pixels.subarray(start * size, end * size);
    return { kind: 'image', pixels: tf.tensor4d(pixels, [b, c, h, w]) }; // [B, C, H, W]
  }
  const t = input.shape[1];
  return {
    kind: 'text',
    ids: tf.tensor2d(input.ids.subarray(start * t, end * t), [b, t], 'int32'), // [B, T]
    mask: tf.tensor2d(input.mask.subarray(start * t, end * t), [b, t], 'float32'), // [B, T]
  };
}

/**
 * Runs `input` through the model in batches and returns `hidden_0 … hidden_L`, each [N, T, D]
 * (h_0 the embedding output, h_l the residual stream after block l; T counts class and
 * distillation tokens), and `logits` [N, C], the model's own output (shared head g on h_L with
 * the model's pooling). For a Hugging Face import these equal transformers' `hidden_states` and
 * `logits`. The input must have been checked against the model (modelInputFromArrays).
 */
export async function computeHiddenStates(
  model: LoadedModel,
  input: ModelInputArrays,
  options: HiddenStatesOptions = {},
): Promise<NamedArray[]> {
  const { config, params } = model;
  const n = input.shape[0];
  const batchSize = options.batchSize ?? 16;
  const layers = config.numLayers + 1;
  const c = config.numClasses;
  const d = config.hiddenSize;
  const hidden: Float32Array[] = [];
  const logits = new Float32Array(n * c);
  let tokens = 0;
  for (const [start, end] of chunks(n, batchSize)) {
    const [states, out] = tf.tidy((): [Tensor3D[], Tensor2D] => {
      const capture = forward(params, config, batchInput(input, start, end));
      return [capture.hidden, capture.finalLogits]; // (L + 1) × [B, T, D], [B, C]
    });
    // sync point: one readback per layer per batch, no stacked copy of every layer.
    const [logitValues, ...values] = await Promise.all([
      out.data(),
      ...states.map((h) => h.data()),
    ]);
    tokens = states[0].shape[1];
    tf.dispose([...states, out]);
    const rowSize = tokens * d;
    if (hidden.length === 0) {
      for (let l = 0; l < layers; l++) hidden.push(new Float32Array(n * rowSize));
    }
    for (let l = 0; l < layers; l++) hidden[l].set(values[l] as Float32Array, start * rowSize);
    logits.set(logitValues as Float32Array, start * c);
    options.onProgress?.(end, n);
  }
  return [
    ...hidden.map((data, l): NamedArray => ({
      name: `hidden_${l}`,
      dtype: 'float32',
      shape: [n, tokens, d],
      data,
    })),
    { name: 'logits', dtype: 'float32', shape: [n, c], data: logits },
  ];
}
