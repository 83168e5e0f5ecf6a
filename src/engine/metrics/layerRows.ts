import { layerName } from './types';

/**
 * Every layer's activations, read a block of rows at a time: from arrays in memory, or (in Node)
 * straight from a file, so that an analysis never needs a whole layer at once. Rows are samples;
 * every layer has the same `n` rows, layer l has `widths[l]` columns.
 */
export interface LayerRows {
  /** One name per layer, in order (`layer_0 …` or the file's array names). */
  names: readonly string[];
  n: number;
  widths: readonly number[];
  /**
   * Rows [start, start + count) of layer l as float32 [count, widths[l]], row-major: a view into
   * the source or a fresh buffer, never one reused by a later call (a tensor may keep it). Readers
   * never mutate it.
   */
  read(l: number, start: number, count: number): Promise<Float32Array>;
  /** Where a problem in the values is: a file name for messages (`acts.npy: …`), if any. */
  source?: string;
}

/** One layer's rows in memory: [n, d] row-major float32. */
export interface MemoryLayer {
  name: string;
  n: number;
  d: number;
  data: Float32Array;
}

/** LayerRows over arrays already in memory: reads are views, nothing is copied. */
export function memoryLayerRows(layers: readonly MemoryLayer[]): LayerRows {
  if (layers.length === 0) throw new Error('analysis: no layers given, expected at least one');
  const n = layers[0].n;
  layers.forEach((l, i) => {
    if (l.n !== n) {
      throw new Error(
        `analysis: ${layerName(i)} has ${l.n} rows but ${layerName(0)} has ${n}; ` +
          'every layer needs one row per sample, the same samples',
      );
    }
    if (l.d <= 0) throw new Error(`analysis: ${layerName(i)} has width ${l.d}`);
    if (l.data.length !== l.n * l.d) {
      throw new Error(
        `analysis: ${layerName(i)} holds ${l.data.length} values, expected ${l.n} × ${l.d}`,
      );
    }
  });
  if (n === 0)
    throw new Error(`analysis: ${layerName(0)} has no rows, expected at least one sample`);
  return {
    names: layers.map((l) => l.name),
    n,
    widths: layers.map((l) => l.d),
    read: async (l, start, count) => {
      const { d, data } = layers[l];
      return data.subarray(start * d, (start + count) * d);
    },
  };
}

/** Rows per block when a pass walks the layers: about `floats` values of the widest layer. */
export function rowsPerBlock(n: number, widths: readonly number[], floats = 1 << 20): number {
  const widest = Math.max(
    1,
    widths.reduce((a, b) => Math.max(a, b), 0),
  );
  return Math.max(1, Math.min(n, Math.floor(floats / widest)));
}
