import { tf } from '../tf';
import type { Tensor, Tensor2D } from '../tf';
import { centreColumns } from './centre';
import { ckaRatio } from './ckaFromStats';
import { median } from './median';
import type { MetricMatrix } from './types';
import { assertFinite, checkLayerShapes } from './validate';

export interface RbfCkaOptions {
  /** Bandwidth as a fraction of the median distance: σ² = t² · median squared distance. */
  t?: number;
}

/** Kornblith et al. (2019) use t = 0.5 of the median distance; Strata's default is the same. */
export const DEFAULT_RBF_T = 0.5;

/**
 * Squared distances ‖x_i − x_j‖² = r_i + r_j − 2⟨x_i, x_j⟩ of the centred rows (distances do not
 * change under centring; it shrinks the terms that cancel), clamped at 0, diagonal exactly 0.
 */
function squaredDistances(x: Tensor2D): Tensor2D {
  return tf.tidy(() => {
    const c = centreColumns(x); // [N, D]
    const gram = tf.matMul(c, tf.transpose(c)); // [N, N]
    const r = tf.sum(tf.square(c), 1, true); // [N, 1]
    const d2 = tf.relu(tf.sub(tf.add(r, tf.reshape(r, [1, -1])), tf.mul(gram, 2)));
    const n = x.shape[0];
    return tf.mul(d2, tf.sub(1, tf.eye(n))) as Tensor2D;
  });
}

/** HKH for K_ij = exp(−d²_ij / (2σ²)): K minus its row and column means plus its grand mean. */
function centredRbfGram(d2: Tensor2D, sigma2: number): Tensor2D {
  return tf.tidy(() => {
    const k = tf.exp(tf.mul(d2, -1 / (2 * sigma2))); // [N, N]
    const n = k.shape[0];
    const rowMeans = tf.mean(k, 1, true); // [N, 1]
    // Column means as a product: on wasm mean(k, 0) is several times slower.
    const colMeans = tf.matMul(tf.fill([1, n], 1 / n), k); // [1, N]
    const centred = tf.sub(tf.sub(k, rowMeans), colMeans);
    return tf.add(centred, tf.mean(rowMeans)) as Tensor2D;
  });
}

/** Checks a user-given bandwidth fraction t. */
export function checkRbfT(t: number): void {
  if (!(t > 0 && Number.isFinite(t))) {
    throw new Error(`RBF CKA: bandwidth t = ${t} is not allowed, expected a finite number > 0`);
  }
}

/**
 * RBF CKA between every pair of layers (Kornblith et al. 2019, §4 and their reference code):
 * K_ij = exp(−‖x_i − x_j‖² / (2σ²)) with σ² = t² · median of all N×N squared distances (the
 * zero diagonal included; median as numpy.median), biased HSIC:
 * CKA = ⟨HKH, HLH⟩_F / (‖HKH‖_F ‖HLH‖_F), H = I − 11ᵀ/N.
 * (docs/design.md §3 says σ = t · median distance; this is that with the median taken over squared
 * distances, as in the reference code.) Each layer's centred Gram is built once; the pairs are
 * Frobenius products. Holds one N×N matrix per layer: for N up to a few thousand.
 * A layer whose median squared distance is 0 (e.g. all rows equal) gets null entries and a note.
 * One readback per layer (its distances, for the median) and one for all pairs.
 */
export async function rbfCkaMatrix(
  layers: readonly Tensor2D[],
  options: RbfCkaOptions = {},
): Promise<MetricMatrix> {
  const t = options.t ?? DEFAULT_RBF_T;
  checkRbfT(t);
  checkLayerShapes(layers, 'RBF CKA');
  await assertFinite(layers, 'RBF CKA');
  return computeRbfCkaMatrix(layers, t);
}

/** rbfCkaMatrix for inputs already checked (shapes, finite values) and a valid t. */
export async function computeRbfCkaMatrix(
  layers: readonly Tensor2D[],
  t: number,
): Promise<MetricMatrix> {
  const n = layers[0].shape[0];
  const k = layers.length;
  const grams: (Tensor2D | null)[] = [];
  try {
    for (const x of layers) {
      const d2 = squaredDistances(x);
      try {
        // sync point: the median of the distances, one layer at a time (N² values each).
        const sq = median(await d2.data());
        grams.push(sq > 0 ? centredRbfGram(d2, t * t * sq) : null);
      } finally {
        d2.dispose();
      }
    }
    const flat = tf.tidy(() => {
      const parts: Tensor[] = [];
      for (let l = 0; l < k; l++) {
        for (let m = l; m < k; m++) {
          const a = grams[l];
          const b = grams[m];
          if (a && b) parts.push(tf.tidy(() => tf.sum(tf.mul(a, b), 1))); // [N]
        }
      }
      return parts.length > 0 ? tf.concat(parts) : tf.zeros([0]);
    });
    // sync point: row sums of every pair's Frobenius product, finished in float64.
    const data = await flat.data();
    flat.dispose();
    const s = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    let at = 0;
    for (let l = 0; l < k; l++) {
      for (let m = l; m < k; m++) {
        if (!grams[l] || !grams[m]) continue;
        let sum = 0;
        for (let i = 0; i < n; i++) sum += data[at + i];
        at += n;
        s[l][m] = s[m][l] = sum;
      }
    }
    const out = ckaRatio('cka-rbf', s, (l) =>
      grams[l]
        ? 'its centred RBF Gram matrix is zero'
        : 'its median squared distance is 0 (e.g. all rows equal), so σ = 0',
    );
    out.notes.push(`σ² = ${t}² × median squared distance, per layer`);
    return out;
  } finally {
    grams.forEach((g) => g?.dispose());
  }
}

/** 256 MB: the values RBF CKA may hold at once (its N×N matrices and the layers). */
export const RBF_FLOATS = 1 << 26;

/**
 * Whether RBF CKA of k layers over N rows fits `budget` values: it holds every layer (N·ΣD), one
 * centred N×N Gram per layer and two more N×N while a Gram is built ((k + 2)·N²). When it does
 * not, `why` says so with the largest N that would.
 */
export function rbfFits(
  n: number,
  widths: readonly number[],
  budget: number = RBF_FLOATS,
): { fits: boolean; why: string } {
  const k = widths.length;
  const sum = widths.reduce((a, b) => a + b, 0);
  const need = (k + 2) * n * n + n * sum;
  if (need <= budget) return { fits: true, why: '' };
  const maxN = Math.floor((-sum + Math.sqrt(sum * sum + 4 * (k + 2) * budget)) / (2 * (k + 2)));
  const mb = (floats: number) => {
    const value = (floats * 4) / 2 ** 20;
    return `${value < 10 ? value.toFixed(1) : Math.round(value).toLocaleString('en')} MB`;
  };
  return {
    fits: false,
    why:
      `RBF CKA holds an N×N kernel matrix per layer: ${k} layers at N = ${n.toLocaleString('en')} ` +
      `need ${mb(need)}, over its budget of ${mb(budget)}; it fits up to N = ` +
      `${maxN.toLocaleString('en')} samples (analyse fewer samples for it)`,
  };
}
