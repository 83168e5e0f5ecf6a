import { tf } from '../tf';
import type { Tensor2D } from '../tf';
import { centreColumns } from './centre';
import { symmetricEigen } from './symmetricEigen';

/** Share of the variance SVCCA keeps per layer (Raghu et al. 2017 keep 99 %). */
export const SVCCA_VARIANCE = 0.99;
/**
 * Through the N×N Gram (N < D), a direction with λ ≤ this × λ_max is float32 rounding of a zero
 * eigenvalue (centring leaves rank N − 1); its √λ would add noise to the nuclear norm.
 */
export const SAMPLE_RANK_TOL = 1e-6;

/**
 * What Procrustes and SVCCA share of one layer, computed once per layer: X centred and scaled to
 * ‖X‖_F = 1, its principal components R = XV (N×r: X = RVᵀ with V orthonormal, so
 * ‖XᵀY‖_* = ‖R_XᵀR_Y‖_*) and an orthonormal basis Q (N×k) of its top-k principal directions,
 * k the smallest count holding SVCCA_VARIANCE of the variance. Both null for a constant layer.
 */
export interface LayerBasis {
  components: Tensor2D | null;
  top: Tensor2D | null;
  /** k of SVCCA (0 for a constant layer). */
  k: number;
}

/** Smallest k with λ_1 + … + λ_k ≥ share · Σλ (λ largest first, ≥ 0). */
export function varianceCount(values: ArrayLike<number>, share: number): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += Math.max(0, values[i]);
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += Math.max(0, values[i]);
    if (sum >= share * total) return i + 1;
  }
  return values.length;
}

/**
 * The LayerBasis of one [N, D] layer. The Gram matrix of the smaller side (XᵀX, D×D, when
 * D ≤ N; else XXᵀ, N×N) is formed on the device and decomposed in float64 on the CPU
 * (symmetricEigen: min(N, D) ≤ MAX_EIGEN_SIZE). Feature side: R = XV on the device. Sample side:
 * XXᵀ = UΛUᵀ gives R = UΛ^½ directly. Q comes from the column-normalised top-k components by
 * Cholesky QR in float64 (their Gram is near I, so this is as accurate as Householder QR).
 * The input is not disposed; the caller disposes the returned tensors.
 */
export async function layerBasis(x: Tensor2D): Promise<LayerBasis> {
  const [n, d] = x.shape;
  const featureSide = d <= n;
  const size = featureSide ? d : n;
  const centred = centreColumns(x);
  try {
    const gramT = tf.tidy(
      () =>
        featureSide
          ? tf.matMul(tf.transpose(centred), centred) // [D, D]
          : tf.matMul(centred, tf.transpose(centred)), // [N, N]
    );
    // sync point: the Gram matrix, decomposed in float64 below.
    const gram = Float64Array.from(await gramT.data());
    gramT.dispose();
    let total = 0;
    for (let i = 0; i < size; i++) total += gram[i * size + i];
    if (!(total > 0)) return { components: null, top: null, k: 0 };
    for (let i = 0; i < gram.length; i++) gram[i] /= total; // ‖X‖_F = 1 from here on
    const eig = symmetricEigen(gram, size, true);
    const k = varianceCount(eig.values, SVCCA_VARIANCE);
    const vectors = eig.vectors!;
    let components: Tensor2D;
    if (featureSide) {
      const v = tf.tensor2d(Float32Array.from(vectors), [d, d]);
      components = tf.tidy(() => tf.matMul(tf.mul(centred, 1 / Math.sqrt(total)), v)); // [N, D]
      v.dispose();
    } else {
      let r = 0;
      while (r < n && eig.values[r] > SAMPLE_RANK_TOL * eig.values[0]) r++;
      const u = new Float32Array(n * r);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < r; j++) u[i * r + j] = vectors[i * n + j] * Math.sqrt(eig.values[j]);
      }
      components = tf.tensor2d(u, [n, r]); // [N, r]
    }
    const top = await orthonormalTop(components, Math.min(k, components.shape[1]));
    return { components, top, k: top.shape[1] };
  } finally {
    centred.dispose();
  }
}

/** Q of the thin QR of the first k columns of `r` (orthogonal columns): Cholesky QR, float64. */
async function orthonormalTop(r: Tensor2D, k: number): Promise<Tensor2D> {
  const scaled = tf.tidy(() => {
    const cols = tf.slice(r, [0, 0], [-1, k]); // [N, k]
    const norms = tf.sqrt(tf.sum(tf.square(cols), 0, true)); // [1, k]
    return tf.div(cols, tf.maximum(norms, 1e-30)) as Tensor2D;
  });
  const gramT = tf.tidy(() => tf.matMul(tf.transpose(scaled), scaled)); // [k, k]
  // sync point: the k×k Gram of the normalised directions.
  const g = Float64Array.from(await gramT.data());
  gramT.dispose();
  const inv = inverseUpperOfCholesky(g, k);
  const invT = tf.tensor2d(Float32Array.from(inv), [k, k]);
  const q = tf.tidy(() => tf.matMul(scaled, invT) as Tensor2D); // [N, k]
  invT.dispose();
  scaled.dispose();
  return q;
}

/** For G = LLᵀ (Cholesky), returns (Lᵀ)⁻¹ row-major k×k, so that Q = A(Lᵀ)⁻¹ has QᵀQ = I. */
export function inverseUpperOfCholesky(g: Float64Array, k: number): Float64Array {
  const l = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = g[i * k + j];
      for (let t = 0; t < j; t++) s -= l[i * k + t] * l[j * k + t];
      if (i === j) {
        if (!(s > 0)) throw new Error(`layer basis: the top ${k} directions are not independent`);
        l[i * k + i] = Math.sqrt(s);
      } else {
        l[i * k + j] = s / l[j * k + j];
      }
    }
  }
  // (Lᵀ)⁻¹ = (L⁻¹)ᵀ: invert the lower-triangular L by forward substitution, then transpose.
  const li = new Float64Array(k * k);
  for (let c = 0; c < k; c++) {
    li[c * k + c] = 1 / l[c * k + c];
    for (let i = c + 1; i < k; i++) {
      let s = 0;
      for (let t = c; t < i; t++) s += l[i * k + t] * li[t * k + c];
      li[i * k + c] = -s / l[i * k + i];
    }
  }
  const out = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) out[i * k + j] = li[j * k + i];
  return out;
}
