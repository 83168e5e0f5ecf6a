import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import type { Tensor1D, Tensor2D } from '../tf';
import { initNodeBackend } from '../nodeBackend';
import { layerSums } from './logitLens';

/** A seeded normal generator (Box–Muller over a linear congruential sequence). */
function normals(count: number, seed: number): Float32Array {
  let state = seed;
  const uniform = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) + 1) / (2 ** 31 + 1);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++)
    out[i] = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  return out;
}

/** log Σ exp over one row, in float64. */
function logSumExp(row: Float32Array): number {
  let peak = -Infinity;
  for (const x of row) peak = Math.max(peak, x);
  let s = 0;
  for (const x of row) s += Math.exp(x - peak);
  return peak + Math.log(s);
}

describe('the logit lens sums of one slice (GPT-2 sized: 166 positions × 50,257 tokens, wasm)', () => {
  beforeAll(async () => {
    await initNodeBackend('wasm');
  });

  it('gives the mean KL(final ‖ layer) of a float64 reference within 1e-4 nats (W6’s parity bound)', async () => {
    const [P, V] = [166, 50257];
    const finalZ = normals(P * V, 1).map((x) => 3 * x);
    const noise = normals(P * V, 2);
    const layerZ = finalZ.map((x, i) => x + 1.2 * noise[i]);
    // float64 reference from the same float32 logits.
    let reference = 0;
    for (let p = 0; p < P; p++) {
      const f = finalZ.subarray(p * V, (p + 1) * V);
      const z = layerZ.subarray(p * V, (p + 1) * V);
      const [lf, lz] = [logSumExp(f), logSumExp(z)];
      for (let v = 0; v < V; v++) {
        const logP = f[v] - lf;
        reference += Math.exp(logP) * (logP - (z[v] - lz));
      }
    }
    reference /= P;

    const logits = tf.tensor2d(layerZ, [P, V]) as Tensor2D;
    const fz = tf.tensor2d(finalZ, [P, V]);
    const logP = tf.logSoftmax(fz) as Tensor2D;
    const final = { logP, probs: tf.exp(logP) as Tensor2D, top: tf.argMax(fz, -1) as Tensor1D };
    const next = tf.tensor1d(
      Array.from({ length: P }, (_, p) => (p * 7919) % V),
      'int32',
    );
    const out = layerSums(logits, next, final);
    const kl = await out[2].data();
    let total = 0;
    for (const x of kl) total += x;
    tf.dispose([...out, logits, fz, final.logP, final.probs, final.top, next]);

    expect(reference).toBeGreaterThan(0.3); // a KL of tenths, as the lens meets
    // One float32 sum over the slice was 1.4e-2 off; summed per position, the float32
    // log-sum-exps' rounding is left (~2e-5).
    expect(Math.abs(total / P - reference)).toBeLessThan(1e-4);
  }, 120_000);
});
