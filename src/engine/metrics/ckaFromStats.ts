import type { BatchKernelStats } from './linearKernelStats';
import { emptyMatrix, layerName, type MetricMatrix, type SimilarityMetric } from './types';

/**
 * Unbiased HSIC of the linear kernels of layers l and m in one batch (Song et al. 2012, eq. 5):
 * HSIC₁(K,L) = [tr(K̃L̃) + (1ᵀK̃1)(1ᵀL̃1)/((n−1)(n−2)) − (2/(n−2)) 1ᵀK̃L̃1] / (n(n−3)),
 * K̃ = K with its diagonal zeroed. With centred columns (Xᵀ1 = 0) every term is a feature-space
 * sum: with r_i = ‖x_i‖², s_i = ‖y_i‖², tr(K̃L̃) = ‖XᵀY‖²_F − Σ r_i s_i, K̃1 = X(Xᵀ1) − r = −r,
 * so 1ᵀK̃1 = −Σ r_i and 1ᵀK̃L̃1 = Σ r_i s_i, giving
 * HSIC₁ = [‖XᵀY‖²_F + (Σr)(Σs)/((n−1)(n−2)) − (n/(n−2)) Σ r_i s_i] / (n(n−3)).
 * The combination runs in float64, where its terms cancel. Needs n ≥ 4.
 */
export function unbiasedHsic(b: BatchKernelStats, l: number, m: number): number {
  const n = b.n;
  const value =
    b.cross[l][m] +
    (b.rowSum[l] * b.rowSum[m]) / ((n - 1) * (n - 2)) -
    (n / (n - 2)) * b.rowDot[l][m];
  return value / (n * (n - 3));
}

/**
 * CKA(l,m) = S(l,m) / sqrt(S(l,l) S(m,m)) over a symmetric similarity S (an HSIC). Entries with a
 * non-positive self-term are null, and `why(l)` says why in the notes.
 */
export function ckaRatio(
  metric: SimilarityMetric,
  s: number[][],
  why: (l: number) => string,
): MetricMatrix {
  const k = s.length;
  const values = emptyMatrix(k);
  const notes: string[] = [];
  const usable = s.map((row, l) => row[l] > 0);
  usable.forEach((ok, l) => {
    if (!ok) notes.push(`${layerName(l)}: ${why(l)}; its entries are null`);
  });
  for (let l = 0; l < k; l++) {
    for (let m = l; m < k; m++) {
      if (!usable[l] || !usable[m]) continue;
      values[l][m] = values[m][l] = l === m ? 1 : s[l][m] / Math.sqrt(s[l][l] * s[m][m]);
    }
  }
  return { metric, values, notes };
}

const ZERO_VARIANCE = 'zero variance (all rows equal), so CKA is 0/0';

/** Linear CKA (Kornblith et al. 2019) from one batch of all N rows: ⟨K_l,K_m⟩/(‖K_l‖_F‖K_m‖_F). */
export function linearCkaFromStats(b: BatchKernelStats): MetricMatrix {
  return ckaRatio('cka', b.cross, () => ZERO_VARIANCE);
}

function hsicMatrix(batches: readonly BatchKernelStats[]): number[][] {
  const k = batches[0].cross.length;
  const s = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (const b of batches) {
    for (let l = 0; l < k; l++) {
      for (let m = l; m < k; m++) s[l][m] = s[m][l] = s[l][m] + unbiasedHsic(b, l, m);
    }
  }
  return s;
}

function debiasedWhy(batches: readonly BatchKernelStats[], within: string) {
  return (l: number) =>
    batches.every((b) => b.cross[l][l] === 0)
      ? `zero variance (all rows equal${within}), so CKA is 0/0`
      : `its unbiased HSIC with itself is not positive${within}, so CKA is undefined`;
}

/** Debiased CKA from one batch of all N rows (N ≥ 4). */
export function debiasedCkaFromStats(b: BatchKernelStats): MetricMatrix {
  return ckaRatio('cka-debiased', hsicMatrix([b]), debiasedWhy([b], ''));
}

/**
 * Minibatch CKA (Nguyen, Raghu & Kornblith 2021, eq. 3): the unbiased HSIC terms are averaged
 * over the batches separately, then the ratio is taken (the 1/k of the average cancels).
 */
export function minibatchCkaFromStats(
  batches: readonly BatchKernelStats[],
  batchSize: number,
  skippedRows: number,
): MetricMatrix {
  const out = ckaRatio(
    'cka-minibatch',
    hsicMatrix(batches),
    debiasedWhy(batches, ' within every batch'),
  );
  const last = batches[batches.length - 1].n;
  const full = last === batchSize ? batches.length : batches.length - 1;
  const parts = [];
  if (full > 0) parts.push(`${full} batch${full === 1 ? '' : 'es'} of ${batchSize} rows`);
  if (last !== batchSize) parts.push(`${full > 0 ? 'a last one' : 'one batch'} of ${last} rows`);
  const shape = parts.join(' and ');
  out.notes.push(`unbiased HSIC averaged over ${shape}`);
  if (skippedRows > 0) {
    out.notes.push(`the last ${skippedRows} rows (fewer than 4) were left out`);
  }
  return out;
}
