import { tf } from './tf';

/** The end-to-end check the first page runs: softmax(A·B) on deterministic inputs. */
export interface DemoResult {
  /** Shapes of A and B. */
  m: number;
  k: number;
  n: number;
  seed: number;
  /** softmax over each row of A·B, row-major [m, n]. */
  softmax: number[];
  elapsedMs: number;
}

/**
 * The demo's inputs: a_ij = sin(seed + 0.7 i + 1.3 j), b_ij = cos(seed − 0.4 i + 0.9 j). A formula
 * rather than a random generator, so a test can rebuild them in float64 without sharing code.
 */
export function demoInputs(seed: number, m: number, k: number, n: number) {
  const a = new Float32Array(m * k);
  const b = new Float32Array(k * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < k; j++) a[i * k + j] = Math.sin(seed + 0.7 * i + 1.3 * j);
  for (let i = 0; i < k; i++)
    for (let j = 0; j < n; j++) b[i * n + j] = Math.cos(seed - 0.4 * i + 0.9 * j);
  return { a, b };
}

export async function runDemo(seed: number, m = 8, k = 16, n = 4): Promise<DemoResult> {
  const start = performance.now();
  const { a, b } = demoInputs(seed, m, k, n);
  const probs = tf.tidy(() =>
    tf.softmax(tf.matMul(tf.tensor2d(a, [m, k]), tf.tensor2d(b, [k, n]))),
  );
  // sync point: the demo's single readback.
  const values = await probs.data();
  probs.dispose();
  return { m, k, n, seed, softmax: Array.from(values), elapsedMs: performance.now() - start };
}
