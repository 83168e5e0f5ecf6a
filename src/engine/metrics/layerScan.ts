import { rowsPerBlock, type LayerRows } from './layerRows';
import { betweenBatches } from '../tasks';

/** What one pass over a layer's rows on the host tells before any metric runs. */
export interface LayerFacts {
  /**
   * A power of two that brings the layer's largest |value| into [1, 2): every metric is invariant
   * to scaling a layer, and multiplying by a power of two is exact in float32, so scaled layers
   * give the same numbers while sums of squares neither underflow (×1e-30) nor overflow (×1e30).
   */
  scale: number;
  /** Column means of the scaled layer, in float64 ([d]). */
  mean: Float64Array;
  /** Every row equals the first: the layer carries no information about the samples. */
  constant: boolean;
}

/** Float32 powers of two reach from 2^-149 to 2^127; the scale stays a normal float32. */
const MAX_EXPONENT = 126;

/** 2^-⌊log2 peak⌋, clamped so that it is itself a normal float32 (1 for a zero layer). */
export function scaleFor(peak: number): number {
  if (!(peak > 0)) return 1;
  const e = Math.floor(Math.log2(peak));
  return 2 ** Math.max(-MAX_EXPONENT, Math.min(MAX_EXPONENT, -e));
}

/**
 * One host pass over every layer, a block of rows at a time: refuses NaN and ±∞ (naming the
 * layer, the first row and column, and how many there are), and finds each layer's scale,
 * float64 column means and whether it is constant. Memory is one block of rows.
 */
export async function scanLayers(rows: LayerRows, signal?: AbortSignal): Promise<LayerFacts[]> {
  const { n, widths } = rows;
  const block = rowsPerBlock(n, widths);
  const facts: LayerFacts[] = [];
  for (let l = 0; l < widths.length; l++) {
    const d = widths[l];
    const sums = new Float64Array(d);
    const first = new Float32Array(d);
    let peak = 0;
    let constant = true;
    let bad = 0;
    let firstBad = -1;
    for (let start = 0; start < n; start += block) {
      await betweenBatches(signal, 'layer scan');
      const count = Math.min(block, n - start);
      const data = await rows.read(l, start, count);
      if (start === 0) first.set(data.subarray(0, d));
      for (let r = 0; r < count; r++) {
        const base = r * d;
        for (let c = 0; c < d; c++) {
          const v = data[base + c];
          if (v - v !== 0) {
            bad++;
            if (firstBad < 0) firstBad = (start + r) * d + c;
            continue;
          }
          const a = v < 0 ? -v : v;
          if (a > peak) peak = a;
          sums[c] += v;
          if (constant && v !== first[c]) constant = false;
        }
      }
    }
    if (bad > 0) {
      const where = rows.source ? `${rows.source}: ` : '';
      throw new Error(
        `${where}${rows.names[l]} contains ${bad} NaN or infinite values (the first at row ` +
          `${Math.floor(firstBad / d)}, column ${firstBad % d}); expected finite numbers`,
      );
    }
    const scale = scaleFor(peak);
    const mean = sums.map((s) => (s / n) * scale);
    facts.push({ scale, mean, constant });
  }
  return facts;
}
