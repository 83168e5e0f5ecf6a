/**
 * Seeded synthetic activations for the similarity benchmarks: one [n, d] float32 array per layer,
 * with the structure the metrics are about (neighbouring layers alike, similarity falling with
 * distance, non-zero column means so that centring matters):
 *   h_0 = z_0 + μ,   h_l = 0.9 · h_{l−1} + 0.45 · z_l   (l ≥ 1),
 * z_l i.i.d. standard normal [n, d], μ a standard normal row added to every sample.
 * Normals come from mulberry32 (a 32-bit generator) through Box–Muller, so every run and every
 * process gets the same numbers from the same seed.
 */
export function* syntheticLayers(
  layers: number,
  n: number,
  d: number,
  seed: number,
): Generator<Float32Array> {
  const normal = normalSource(seed);
  const mu = Float64Array.from({ length: d }, normal);
  let previous: Float32Array | null = null;
  for (let l = 0; l < layers; l++) {
    const x = new Float32Array(n * d);
    for (let i = 0; i < n * d; i++) {
      x[i] = previous ? 0.9 * previous[i] + 0.45 * normal() : normal() + mu[i % d];
    }
    yield x;
    previous = x;
  }
}

/** A stream of standard normals from a seed: mulberry32 uniforms, Box–Muller pairs. */
export function normalSource(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    const u = 1 - uniform(); // (0, 1]: log(u) stays finite
    const r = Math.sqrt(-2 * Math.log(u));
    const theta = 2 * Math.PI * uniform();
    spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  };
}

/** All layers of syntheticLayers as one [layers, n, d] array (for a .npy file). */
export function stackedLayers(layers: number, n: number, d: number, seed: number): Float32Array {
  const out = new Float32Array(layers * n * d);
  let l = 0;
  for (const x of syntheticLayers(layers, n, d, seed)) out.set(x, l++ * n * d);
  return out;
}

/**
 * Rows [start, start + n) of a synthetic model's layers, made on demand: the same recurrence as
 * syntheticLayers, seeded per row block (so a streamed run never holds more than one batch). The
 * numbers differ from syntheticLayers' (another draw order), the structure is the same.
 */
export function syntheticRows(
  layers: number,
  start: number,
  n: number,
  d: number,
  seed: number,
): Float32Array[] {
  const mu = Float64Array.from({ length: d }, normalSource(seed));
  const normal = normalSource((seed * 1_000_003 + start) >>> 0);
  const out: Float32Array[] = [];
  for (let l = 0; l < layers; l++) {
    const x = new Float32Array(n * d);
    const previous = out[l - 1];
    for (let i = 0; i < n * d; i++) {
      x[i] = previous ? 0.9 * previous[i] + 0.45 * normal() : normal() + mu[i % d];
    }
    out.push(x);
  }
  return out;
}
