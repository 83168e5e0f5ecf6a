// How fast the started backend multiplies matrices, measured once when it starts: the page sizes
// a model's first analysis on it (a forward pass is nearly all matmuls) instead of on an assumed
// rate per backend.
import { tf } from './tf';

/** The probe's product: [rows, K] × [K, N], a linear layer of a transformer on a batch of rows. */
export const PROBE_SHAPE = { k: 512, n: 512, minRows: 64, maxRows: 4096 } as const;
/**
 * A product shorter than this measures a GPU's dispatch and readback more than its arithmetic:
 * the rows grow 4× until one takes this long (or reach maxRows).
 */
const MIN_PRODUCT_MS = 5;
/** Timed products at one size stop once this much time has passed, or after MAX_REPS. */
const MIN_TIMED_MS = 25;
const MAX_REPS = 8;

/** What the probe measured. */
export interface MatmulRate {
  /** 2 · rows · K · N FLOPs a product, times the products, per second. */
  flopsPerSecond: number;
  /** Rows of the timed products. */
  rows: number;
  /** Products timed (after one untimed run that compiles the kernel for their shape). */
  reps: number;
  /** Milliseconds they took together. */
  ms: number;
}

/** 2·rows·K·N: the FLOPs of one probe product. */
export const probeFlops = (rows: number): number => 2 * rows * PROBE_SHAPE.k * PROBE_SHAPE.n;

async function product(a: tf.Tensor2D, b: tf.Tensor2D): Promise<void> {
  const c = tf.matMul(a, b);
  try {
    await c.data(); // sync point: the product is done
  } finally {
    c.dispose();
  }
}

/**
 * Times probe matmuls on the current backend, each read back (`await data()`, so a GPU's queue is
 * drained). Null when the clock gave no time to divide by. Every tensor is disposed.
 */
export async function probeMatmulRate(
  now: () => number = () => performance.now(),
): Promise<MatmulRate | null> {
  const { k, n, minRows, maxRows } = PROBE_SHAPE;
  const b = tf.randomUniform([k, n], -1, 1, 'float32', 2) as tf.Tensor2D;
  try {
    for (let rows = minRows; ; rows *= 4) {
      const a = tf.randomUniform([rows, k], -1, 1, 'float32', 1) as tf.Tensor2D;
      try {
        await product(a, b);
        const start = now();
        let reps = 0;
        let ms = 0;
        while (reps < MAX_REPS && ms < MIN_TIMED_MS) {
          await product(a, b);
          reps += 1;
          ms = now() - start;
        }
        if (!(ms > 0)) return null;
        if (ms / reps >= MIN_PRODUCT_MS || rows >= maxRows)
          return { flopsPerSecond: (probeFlops(rows) * reps) / (ms / 1000), rows, reps, ms };
      } finally {
        a.dispose();
      }
    }
  } finally {
    b.dispose();
  }
}
