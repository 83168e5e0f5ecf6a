import type { LayerActivations } from './analyze';

/**
 * Class means of every layer projected on two principal axes shared by all layers (the paper's
 * first figure): stack the C class means of each of the L+1 layers into (L+1)·C rows, centre
 * them, and project on the top two eigenvectors of their D×D covariance (power iteration with
 * deflation from a fixed start, so the picture is deterministic). Layers must share a width.
 */
export function classMeanProjection(
  layers: readonly LayerActivations[],
  labels: Int32Array,
  numClasses: number,
): { points: [number, number][][]; explained: [number, number] } {
  const d = layers[0].d;
  if (layers.some((l) => l.d !== d))
    throw new Error('class means: layers of different widths share no axes');
  const rows: Float64Array[] = [];
  for (const layer of layers) {
    if (layer.n !== labels.length)
      throw new Error(`class means: ${layer.name} has ${layer.n} rows for ${labels.length} labels`);
    const sums = Array.from({ length: numClasses }, () => new Float64Array(d));
    const counts = new Float64Array(numClasses);
    for (let i = 0; i < layer.n; i++) {
      const c = labels[i];
      counts[c]++;
      const row = layer.data.subarray(i * d, (i + 1) * d);
      for (let j = 0; j < d; j++) sums[c][j] += row[j];
    }
    sums.forEach((s, c) => rows.push(s.map((v) => (counts[c] ? v / counts[c] : 0))));
  }
  const mean = new Float64Array(d);
  rows.forEach((r) => r.forEach((v, j) => (mean[j] += v / rows.length)));
  const centred = rows.map((r) => r.map((v, j) => v - mean[j]));
  const cov = new Float64Array(d * d);
  for (const r of centred)
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) cov[a * d + b] += r[a] * r[b];
  const total = Array.from({ length: d }, (_, a) => cov[a * d + a]).reduce((s, v) => s + v, 0);
  const axes: Float64Array[] = [];
  const variances: number[] = [];
  for (let k = 0; k < 2; k++) {
    let v: Float64Array = new Float64Array(d).map((_, j) => 1 + ((j * 7919) % 13) / 13); // fixed start
    let lambda = 0;
    for (let it = 0; it < 300; it++) {
      const w = new Float64Array(d);
      for (let a = 0; a < d; a++) {
        let s = 0;
        for (let b = 0; b < d; b++) s += cov[a * d + b] * v[b];
        w[a] = s;
      }
      for (const u of axes) {
        const dot = w.reduce((s, x, j) => s + x * u[j], 0);
        for (let j = 0; j < d; j++) w[j] -= dot * u[j];
      }
      const norm = Math.hypot(...w);
      if (norm === 0) break;
      lambda = norm;
      v = w.map((x) => x / norm);
    }
    axes.push(v);
    variances.push(lambda);
  }
  const points = layers.map((_, l) =>
    Array.from({ length: numClasses }, (_, c) => {
      const r = centred[l * numClasses + c];
      return [
        axes[0].reduce((s, x, j) => s + x * r[j], 0),
        axes[1].reduce((s, x, j) => s + x * r[j], 0),
      ] as [number, number];
    }),
  );
  const explained: [number, number] =
    total > 0 ? [variances[0] / total, variances[1] / total] : [0, 0];
  return { points, explained };
}
