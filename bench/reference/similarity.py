"""NumPy references for Strata's similarity benchmark (W1, bench/run.ts).

Reads one float32 array [L, N, D] (a .npy file: every layer's activations, rows = samples) or
an .npz of [N, D] float32 arrays, one per layer, in natural order of their names (layer_2 before
layer_10), as `strata analyze --activations` does;
computes every layer pair with one of two algorithms, times its own loop, and prints one JSON
object on stdout: {"times_ms": [...], "matrices": {metric: L×L list}, "peak_rss_mb": ..., ...}.

Algorithms:
  feature   the feature-space formulas, each layer's statistics once, every pair l ≤ m once:
            cosine   COS(l,m) = mean_i <x̂_i^l, x̂_i^m>, x̂ the rows scaled to unit length;
            cka      ‖X_lᵀX_m‖²_F / (‖X_lᵀX_l‖_F ‖X_mᵀX_m‖_F), columns centred (Kornblith et al.
                     2019, eq. 5);
            cka-debiased / cka-minibatch   the unbiased HSIC (Song et al. 2012, eq. 5) in its
                     feature-space form, r_i = ‖x_i‖², s_i = ‖y_i‖² of centred rows:
                     HSIC₁ = [‖XᵀY‖²_F + Σr Σs/((n−1)(n−2)) − n/(n−2) Σ r_i s_i] / (n(n−3));
                     minibatch CKA averages HSIC₁ over consecutive batches, then takes the
                     ratio (Nguyen, Raghu & Kornblith 2021, eq. 3).
  gram      what torch_cka-style code does (Kornblith's `gram_linear` + `center_gram`, pair
            by pair): for every pair l ≤ m, build both N×N Gram matrices K = X_l X_lᵀ,
            L = X_m X_mᵀ from scratch, centre them (subtract row and column means), and take
            ⟨K̃, L̃⟩ / (‖K̃‖_F ‖L̃‖_F). Linear CKA only. The centring is the cheap O(N²) form,
            not H K H with a centring matrix, and each unordered pair is done once: the
            reference is as fast as this algorithm gets.

All arrays are float32 as in Strata. The feature algorithm finishes each pair's sums in float64,
as Strata does; the gram algorithm takes its N²-term sums as float32 BLAS dot products, the
fastest form NumPy offers (torch_cka sums in float32 too).
Usage: python3 similarity.py INPUT.npy|INPUT.npz --algorithm feature|gram --metrics cosine,cka
       [--batch-size 256] [--warmup 1] [--reps 5] [--budget-s S]
"""

import argparse
import json
import re
import resource
import sys
import time

import numpy as np


def cosine_matrix(layers):
    units = []
    for x in layers:
        norm = np.linalg.norm(x, axis=1, keepdims=True)
        units.append(x / np.where(norm == 0, 1, norm))
    k = len(layers)
    out = np.zeros((k, k))
    for l in range(k):
        for m in range(l, k):
            rows = np.einsum("ij,ij->i", units[l], units[m])
            out[l, m] = out[m, l] = rows.sum(dtype=np.float64) / len(rows)
    return out


def kernel_stats(layers):
    """cross[l,m] = ‖X_lᵀX_m‖²_F, row_sum[l] = Σ_i r_i, row_dot[l,m] = Σ_i r_i s_i (centred)."""
    centred = [x - x.mean(axis=0, dtype=np.float64).astype(np.float32) for x in layers]
    transposed = [np.ascontiguousarray(c.T) for c in centred]
    norms = [np.einsum("ij,ij->i", c, c) for c in centred]
    k = len(layers)
    cross = np.zeros((k, k))
    row_dot = np.zeros((k, k))
    for l in range(k):
        for m in range(l, k):
            product = transposed[l] @ centred[m]
            cross[l, m] = cross[m, l] = np.einsum("ij,ij->", product, product, dtype=np.float64)
            row_dot[l, m] = row_dot[m, l] = np.dot(norms[l].astype(np.float64), norms[m])
    row_sum = np.array([r.sum(dtype=np.float64) for r in norms])
    return cross, row_sum, row_dot


def ratio(s):
    d = np.sqrt(np.diag(s))
    return s / np.outer(d, d)


def unbiased_hsic(n, cross, row_sum, row_dot):
    value = cross + np.outer(row_sum, row_sum) / ((n - 1) * (n - 2)) - n / (n - 2) * row_dot
    return value / (n * (n - 3))


def feature_metrics(layers, metrics, batch_size):
    out = {}
    if "cosine" in metrics:
        out["cosine"] = cosine_matrix(layers)
    if "cka" in metrics or "cka-debiased" in metrics:
        cross, row_sum, row_dot = kernel_stats(layers)
        if "cka" in metrics:
            out["cka"] = ratio(cross)
        if "cka-debiased" in metrics:
            out["cka-debiased"] = ratio(unbiased_hsic(len(layers[0]), cross, row_sum, row_dot))
    if "cka-minibatch" in metrics:
        n = len(layers[0])
        total = None
        for start in range(0, n - batch_size + 1, batch_size):
            batch = [x[start : start + batch_size] for x in layers]
            hsic = unbiased_hsic(batch_size, *kernel_stats(batch))
            total = hsic if total is None else total + hsic
        out["cka-minibatch"] = ratio(total)
    out.update(cross_measures(layers, metrics))
    return out


def layer_bases(layers):
    """Per layer, once: the centred layer scaled to unit Frobenius norm, its principal components
    (U S, from a thin float64 SVD) and the orthonormal basis of its top-k directions (99 %)."""
    bases = []
    for x in layers:
        xc = x.astype(np.float64) - x.mean(axis=0, dtype=np.float64)
        xc /= np.linalg.norm(xc)
        u, s, _ = np.linalg.svd(xc, full_matrices=False)
        var = s * s
        k = int(np.searchsorted(np.cumsum(var), 0.99 * var.sum() * (1 - 1e-12)) + 1)
        bases.append((u * s, u[:, :k]))
    return bases


def neighbour_lists(x, k, block=1024):
    xc = x - x.mean(axis=0, dtype=np.float64).astype(np.float32)
    norms = np.linalg.norm(xc, axis=1, keepdims=True)
    unit = np.divide(xc, norms, out=np.zeros_like(xc), where=norms > 0)
    out = np.empty((len(x), k), dtype=np.int64)
    for start in range(0, len(x), block):
        sims = unit[start : start + block] @ unit.T
        sims[np.arange(len(sims)), np.arange(start, start + len(sims))] = -np.inf
        out[start : start + block] = np.argpartition(-sims, k, axis=1)[:, :k]
    return out


def cross_measures(layers, metrics, knn_k=10):
    """Procrustes ‖XᵀY‖_* and SVCCA (mean canonical correlation of the top-k directions) from
    each layer's SVD, mutual k-NN from each layer's neighbour lists; every pair l ≤ m."""
    out = {}
    count = len(layers)
    spectral = [m for m in ("procrustes", "svcca") if m in metrics]
    if spectral:
        bases = layer_bases(layers)
        for m in spectral:
            mat = np.zeros((count, count))
            for l in range(count):
                for j in range(l, count):
                    if m == "procrustes":
                        v = np.linalg.svd(bases[l][0].T @ bases[j][0], compute_uv=False).sum()
                    else:
                        rho = np.linalg.svd(bases[l][1].T @ bases[j][1], compute_uv=False)
                        v = np.minimum(rho, 1).mean()
                    mat[l, j] = mat[j, l] = v
            out[m] = mat
    if "knn" in metrics:
        lists = [neighbour_lists(x, knn_k) for x in layers]
        n = len(layers[0])
        mat = np.zeros((count, count))
        for l in range(count):
            for j in range(l, count):
                shared = sum(len(np.intersect1d(lists[l][i], lists[j][i])) for i in range(n))
                mat[l, j] = mat[j, l] = shared / (n * knn_k)
        out["knn"] = mat
    return out


def centred_gram(x):
    gram = x @ x.T
    means = gram.mean(axis=0, dtype=np.float64).astype(np.float32)
    gram -= means[:, None]
    gram -= means[None, :]
    gram += means.mean(dtype=np.float64).astype(np.float32)
    return gram


def gram_pairwise_cka(layers):
    k = len(layers)
    out = np.zeros((k, k))
    for l in range(k):
        for m in range(l, k):
            a = centred_gram(layers[l])
            b = centred_gram(layers[m])
            a, b = a.ravel(), b.ravel()
            cross = float(np.dot(a, b))
            out[l, m] = out[m, l] = cross / np.sqrt(float(np.dot(a, a)) * float(np.dot(b, b)))
    return out


def natural_key(name):
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def load_layers(path):
    """The layers of a float32 [L, N, D] .npy, or of an .npz of [N, D] float32 arrays."""
    if path.endswith(".npz"):
        with np.load(path) as archive:
            layers = [archive[name] for name in sorted(archive.files, key=natural_key)]
        if not layers or any(x.dtype != np.float32 or x.ndim != 2 for x in layers):
            sys.exit(f"similarity.py: {path} must hold float32 [N, D] arrays, one per layer")
        return layers
    stacked = np.load(path)
    if stacked.dtype != np.float32 or stacked.ndim != 3:
        sys.exit(f"similarity.py: {path} holds {stacked.dtype} {stacked.shape}, expected float32 [L, N, D]")
    return [np.ascontiguousarray(x) for x in stacked]


def blas_name():
    try:
        config = np.show_config(mode="dicts")
        blas = config["Build Dependencies"]["blas"]
        return f"{blas.get('name')} {blas.get('version')}"
    except Exception:  # show_config's layout is not a stable interface
        return "unknown"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input")
    parser.add_argument("--algorithm", choices=["feature", "gram"], default="feature")
    parser.add_argument("--metrics", default="cosine,cka")
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--budget-s", type=float, default=float("inf"),
                        help="stop after this many measured seconds once 3 runs are in")
    args = parser.parse_args()
    metrics = args.metrics.split(",")
    if args.algorithm == "gram" and metrics != ["cka"]:
        sys.exit("similarity.py: the gram algorithm computes linear CKA only (--metrics cka)")
    layers = load_layers(args.input)

    def run():
        if args.algorithm == "gram":
            return {"cka": gram_pairwise_cka(layers)}
        return feature_metrics(layers, metrics, args.batch_size)

    for _ in range(args.warmup):
        result = run()
    times = []
    while len(times) < args.reps and not (len(times) >= 3 and sum(times) >= args.budget_s * 1000):
        start = time.perf_counter()
        result = run()
        times.append((time.perf_counter() - start) * 1000)
    print(
        json.dumps(
            {
                "times_ms": times,
                "matrices": {name: m.tolist() for name, m in result.items()},
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "numpy": np.__version__,
                "blas": blas_name(),
            }
        )
    )


if __name__ == "__main__":
    main()
