import { tf } from '../tf';
import type { Tensor, Tensor2D } from '../tf';

/**
 * Every layer in one device buffer, so that one WGSL program reads them all (a shader binds at
 * most 8 storage buffers on many devices, not one per layer). Layer l is [N, D_l] row-major at
 * `offsets[l]` of `data`; `geometry` (int32) holds, per layer, its offset, its width and its first
 * column among all layers' columns side by side, then, per pair l ≤ m in row order, l and m: the
 * kernels read where a layer or a pair lives from it.
 */
export interface PackedLayers {
  /** [Σ_l N·D_l] float32. */
  data: Tensor;
  /** [3k + 2P] int32: (offset, width, first column) per layer, then (l, m) per pair. */
  geometry: Tensor;
  n: number;
  widths: number[];
  offsets: number[];
  /** Pairs l ≤ m in row order: (0,0), (0,1), …, (0,k−1), (1,1), … */
  pairs: [number, number][];
  dispose(): void;
}

/** Pairs l ≤ m of k layers, row by row. */
export function layerPairs(k: number): [number, number][] {
  const pairs: [number, number][] = [];
  for (let l = 0; l < k; l++) for (let m = l; m < k; m++) pairs.push([l, m]);
  return pairs;
}

/**
 * Packs [N, D_l] layers (checked by checkLayerShapes) into one buffer: a concat on the device
 * (tfjs splits it by the storage-buffer limit: 3 dispatches for 13 layers), one small upload.
 * Inputs are not disposed; the result is, by its dispose().
 */
export function packLayers(layers: readonly Tensor2D[]): PackedLayers {
  const n = layers[0].shape[0];
  const widths = layers.map((x) => x.shape[1]);
  const offsets: number[] = [];
  let at = 0;
  for (const d of widths) {
    offsets.push(at);
    at += n * d;
  }
  const pairs = layerPairs(widths.length);
  const table = new Int32Array(3 * widths.length + 2 * pairs.length);
  let column = 0;
  widths.forEach((d, l) => {
    table.set([offsets[l], d, column], 3 * l);
    column += d;
  });
  pairs.forEach(([l, m], p) => table.set([l, m], 3 * widths.length + 2 * p));
  const data =
    layers.length === 1
      ? tf.reshape(layers[0], [-1])
      : tf.tidy(() => tf.concat(layers.map((x) => tf.reshape(x, [-1]))));
  const geometry = tf.tensor1d(table, 'int32');
  return {
    data,
    geometry,
    n,
    widths,
    offsets,
    pairs,
    dispose: () => {
      data.dispose();
      geometry.dispose();
    },
  };
}
