/**
 * Eigen-decomposition of a real symmetric matrix in float64, on the CPU: Householder reduction to
 * tridiagonal form, then the implicit QL algorithm — tred2 and tql2 of EISPACK as ported in JAMA
 * (public domain; Martin, Reinsch & Wilkinson, Handbook for Automatic Computation II, 1971).
 * O(n³): with vectors 0.4 s at n = 256 and 2.8 s at n = 512 in Node on the 2-core development
 * machine; values only, 0.07 s and 0.8 s. tfjs has no SVD; the similarity measures
 * that need one get it from this on the smaller Gram matrix.
 */
export interface SymmetricEigen {
  /** Eigenvalues, largest first. */
  values: Float64Array;
  /** Row-major n×n: column j is the unit eigenvector of values[j]; absent for values only. */
  vectors?: Float64Array;
}

/** Largest matrix size accepted: about 25 s with vectors at this size (O(n³) from 2.8 s at 512). */
export const MAX_EIGEN_SIZE = 1024;

/**
 * Eigenvalues (and, when `vectors`, eigenvectors) of the symmetric n×n matrix `a` (row-major;
 * only read, the lower triangle is used). Throws for a size that is not n² or above
 * MAX_EIGEN_SIZE.
 */
export function symmetricEigen(a: ArrayLike<number>, n: number, vectors = true): SymmetricEigen {
  if (a.length !== n * n) {
    throw new Error(`symmetricEigen: got ${a.length} values, expected ${n}×${n} = ${n * n}`);
  }
  if (n > MAX_EIGEN_SIZE) {
    throw new Error(`symmetricEigen: a ${n}×${n} matrix is above the ${MAX_EIGEN_SIZE} supported`);
  }
  const v = Float64Array.from(a);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  if (n > 0) {
    tridiagonalize(v, d, e, n, vectors);
    // QL rotates pairs of columns: hold them as rows (vᵀ) so each rotation reads contiguously.
    transposeInPlace(v, n);
    diagonalize(v, d, e, n, vectors);
  }
  const order = Array.from(d.keys()).sort((i, j) => d[j] - d[i]);
  const values = Float64Array.from(order, (i) => d[i]);
  if (!vectors) return { values };
  const out = new Float64Array(n * n);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) out[r * n + c] = v[order[c] * n + r];
  }
  return { values, vectors: out };
}

function transposeInPlace(v: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const t = v[i * n + j];
      v[i * n + j] = v[j * n + i];
      v[j * n + i] = t;
    }
  }
}

/** tred2: Householder reduction; d gets the diagonal, e the subdiagonal, v the transform. */
function tridiagonalize(
  v: Float64Array,
  d: Float64Array,
  e: Float64Array,
  n: number,
  accumulate: boolean,
): void {
  for (let j = 0; j < n; j++) d[j] = v[(n - 1) * n + j];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = v[(i - 1) * n + j];
        v[i * n + j] = 0;
        v[j * n + i] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        v[j * n + i] = f;
        g = e[j] + v[j * n + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += v[k * n + j] * d[k];
          e[k] += v[k * n + j] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        for (let k = j; k <= i - 1; k++) v[k * n + j] -= f * e[k] + g * d[k];
        d[j] = v[(i - 1) * n + j];
        v[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  if (accumulate) {
    for (let i = 0; i < n - 1; i++) {
      v[(n - 1) * n + i] = v[i * n + i];
      v[i * n + i] = 1;
      const h = d[i + 1];
      if (h !== 0) {
        for (let k = 0; k <= i; k++) d[k] = v[k * n + i + 1] / h;
        for (let j = 0; j <= i; j++) {
          let g = 0;
          for (let k = 0; k <= i; k++) g += v[k * n + i + 1] * v[k * n + j];
          for (let k = 0; k <= i; k++) v[k * n + j] -= g * d[k];
        }
      }
      for (let k = 0; k <= i; k++) v[k * n + i + 1] = 0;
    }
    for (let j = 0; j < n; j++) {
      d[j] = v[(n - 1) * n + j];
      v[(n - 1) * n + j] = 0;
    }
    v[(n - 1) * n + n - 1] = 1;
  } else {
    // Values only: the diagonal sits where the accumulation would have read it.
    for (let i = 0; i < n - 1; i++) v[(n - 1) * n + i] = v[i * n + i];
    for (let j = 0; j < n; j++) d[j] = v[(n - 1) * n + j];
  }
  e[0] = 0;
}

/** tql2: implicit QL with shifts on the tridiagonal (d, e); rotations applied to vt = vᵀ if asked. */
function diagonalize(
  vt: Float64Array,
  d: Float64Array,
  e: Float64Array,
  n: number,
  rotate: boolean,
): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]) > eps * tst1) m++;
    if (m > l) {
      for (let iter = 0; ; iter++) {
        if (iter > 60) throw new Error('symmetricEigen: QL iteration did not converge');
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          if (rotate) {
            const a0 = i * n;
            const a1 = a0 + n;
            for (let k = 0; k < n; k++) {
              h = vt[a1 + k];
              vt[a1 + k] = s * vt[a0 + k] + c * h;
              vt[a0 + k] = c * vt[a0 + k] - s * h;
            }
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
        if (!(Math.abs(e[l]) > eps * tst1)) break;
      }
    }
    d[l] += f;
    e[l] = 0;
  }
}

/**
 * Singular values of the r×c row-major matrix `m`, largest first, in float64: square roots of the
 * eigenvalues of its smaller Gram matrix (MᵀM or MMᵀ, formed here in float64; negative rounding
 * clipped to 0). min(r, c) values.
 */
export function singularValues(m: ArrayLike<number>, r: number, c: number): Float64Array {
  const k = Math.min(r, c);
  const gram = new Float64Array(k * k);
  if (c <= r) {
    for (let t = 0; t < r; t++) {
      const row = t * c;
      for (let i = 0; i < c; i++) {
        const mi = m[row + i];
        if (mi === 0) continue;
        for (let j = 0; j <= i; j++) gram[i * k + j] += mi * m[row + j];
      }
    }
  } else {
    for (let i = 0; i < r; i++) {
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let t = 0; t < c; t++) s += m[i * c + t] * m[j * c + t];
        gram[i * k + j] = s;
      }
    }
  }
  for (let i = 0; i < k; i++) for (let j = 0; j < i; j++) gram[j * k + i] = gram[i * k + j];
  const { values } = symmetricEigen(gram, k, false);
  return values.map((x) => Math.sqrt(Math.max(0, x)));
}
