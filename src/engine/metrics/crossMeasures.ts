import { tf } from '../tf';
import type { Tensor2D } from '../tf';
import { betweenBatches } from '../tasks';
import { layerBasis, type LayerBasis } from './layerBasis';
import { DEFAULT_KNN_K, checkKnnK, mutualKnnFromLists, nearestNeighbours } from './mutualKnn';
import { MAX_EIGEN_SIZE, singularValues } from './symmetricEigen';
import { emptyMatrix, layerName, type MetricMatrix } from './types';

/** The measures built on each layer's spectrum or neighbours, defined across widths. */
export type CrossMeasure = 'procrustes' | 'svcca' | 'knn';
export const CROSS_MEASURES: readonly CrossMeasure[] = ['procrustes', 'svcca', 'knn'];

export interface CrossMeasureOptions {
  /** Neighbours of mutual k-NN; default DEFAULT_KNN_K. */
  knnK?: number;
  /**
   * Only pairs with l < split ≤ m (rows of one model, columns of the other, the layers listed A
   * first): the other entries stay null. Default: every pair.
   */
  split?: number;
  signal?: AbortSignal;
}

/**
 * Throws unless every layer's Gram side, min(N, D_l), is within MAX_EIGEN_SIZE: Procrustes and
 * SVCCA decompose that Gram matrix on the CPU.
 */
export function checkSpectralSizes(n: number, widths: readonly number[], name: string): void {
  const l = widths.findIndex((d) => Math.min(n, d) > MAX_EIGEN_SIZE);
  if (l >= 0) {
    throw new Error(
      `${name}: ${layerName(l)} is ${n}×${widths[l]}; its Gram side min(N, D) = ` +
        `${Math.min(n, widths[l])} is above the ${MAX_EIGEN_SIZE} this measure supports ` +
        '(use fewer samples, or CKA)',
    );
  }
}

/** Singular values of the product aᵀb of two [N, ·] tensors, read back and found in float64. */
async function singularValuesOfProduct(a: Tensor2D, b: Tensor2D): Promise<Float64Array> {
  const m = tf.tidy(() => tf.matMul(tf.transpose(a), b)); // [r_a, r_b]
  // sync point: one small cross product per pair.
  const data = await m.data();
  m.dispose();
  return singularValues(data, a.shape[1], b.shape[1]);
}

/**
 * Procrustes similarity (Williams et al. 2021; Ding et al. 2021 report 2 − 2× this as a squared
 * distance): ‖XᵀY‖_* with X, Y centred and scaled to ‖·‖_F = 1; 1 when Y = XQ for an orthogonal
 * Q. Computed as ‖R_XᵀR_Y‖_* from each layer's principal components (layerBasis).
 */
export async function procrustesOfBases(x: LayerBasis, y: LayerBasis): Promise<number | null> {
  if (!x.components || !y.components) return null;
  const s = await singularValuesOfProduct(x.components, y.components);
  return s.reduce((a, b) => a + b, 0);
}

/**
 * SVCCA (Raghu et al. 2017): each layer reduced to its top-k principal directions (k holding
 * 99 % of the variance), then CCA of the pair: the canonical correlations are the singular
 * values of Q_XᵀQ_Y (Q from thin QR of each reduced matrix); the mean of the min(k_X, k_Y).
 */
export async function svccaOfBases(x: LayerBasis, y: LayerBasis): Promise<number | null> {
  if (!x.top || !y.top) return null;
  const s = await singularValuesOfProduct(x.top, y.top);
  return s.reduce((a, b) => a + Math.min(1, b), 0) / s.length;
}

/**
 * Procrustes, SVCCA and mutual k-NN between pairs of layers (the same N samples in the same
 * order; widths may differ). Each layer's basis (centring, one float64 eigen-decomposition, QR)
 * and neighbour lists are computed once and freed after; each pair then costs one small
 * product and its singular values, or one list intersection. All three are symmetric. A constant
 * layer has null entries and a note. Inputs are not disposed.
 */
export async function crossMeasureMatrices(
  layers: readonly Tensor2D[],
  metrics: readonly CrossMeasure[],
  options: CrossMeasureOptions = {},
): Promise<Partial<Record<CrossMeasure, MetricMatrix>>> {
  const count = layers.length;
  const n = layers[0].shape[0];
  const k = options.knnK ?? DEFAULT_KNN_K;
  if (metrics.includes('knn')) checkKnnK(k, n);
  const split = options.split ?? 0;
  const wanted = (l: number, m: number) => split === 0 || (l < split && m >= split);
  const out: Partial<Record<CrossMeasure, MetricMatrix>> = {};
  const spectral = metrics.filter((m) => m !== 'knn');
  if (spectral.length > 0) {
    const bases: LayerBasis[] = [];
    try {
      for (const x of layers) {
        await betweenBatches(options.signal, 'layer bases');
        bases.push(await layerBasis(x));
      }
      for (const metric of spectral) {
        const values = pairMatrix(count);
        const of = metric === 'procrustes' ? procrustesOfBases : svccaOfBases;
        for (let l = 0; l < count; l++) {
          for (let m = l; m < count; m++) {
            if (!wanted(l, m)) continue;
            await betweenBatches(options.signal, metric);
            values[l][m] = values[m][l] = await of(bases[l], bases[m]);
          }
        }
        out[metric] = withConstantNotes(
          metric,
          values,
          bases.map((b) => !b.components),
        );
      }
    } finally {
      bases.forEach((b) => {
        b.components?.dispose();
        b.top?.dispose();
      });
    }
  }
  if (metrics.includes('knn')) {
    const lists: Int32Array[] = [];
    const constant: boolean[] = [];
    for (const x of layers) {
      lists.push(await nearestNeighbours(x, k, options.signal));
      const spread = tf.tidy(() => tf.max(tf.sub(tf.max(x, 0), tf.min(x, 0))));
      // sync point: one scalar per layer, whether every row is the same.
      constant.push((await spread.data())[0] === 0);
      spread.dispose();
    }
    const values = pairMatrix(count);
    for (let l = 0; l < count; l++) {
      for (let m = l; m < count; m++) {
        if (wanted(l, m) && !constant[l] && !constant[m]) {
          values[l][m] = values[m][l] = mutualKnnFromLists(lists[l], lists[m], n, k);
        }
      }
    }
    out.knn = withConstantNotes('knn', values, constant);
    out.knn.notes.push(`k = ${k} nearest neighbours by cosine, of ${n} samples`);
  }
  return out;
}

function pairMatrix(count: number): (number | null)[][] {
  return emptyMatrix(count);
}

function withConstantNotes(
  metric: CrossMeasure,
  values: (number | null)[][],
  constant: readonly boolean[],
): MetricMatrix {
  const notes = constant.flatMap((c, l) =>
    c
      ? [
          `${layerName(l)}: constant (every sample has the same vector), so ${metric} is undefined; its entries are null`,
        ]
      : [],
  );
  return { metric, values, notes };
}
