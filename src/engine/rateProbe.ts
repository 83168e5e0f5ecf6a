// How fast the started backend multiplies matrices, measured once when it starts: the page sizes
// a model's first analysis on it (a forward pass is nearly all matmuls) instead of on an assumed
// rate per backend.
import { tf } from './tf';

/** The probe's product: [M, K] × [K, N], a linear layer of a small transformer on a batch. */
export const PROBE_SHAPE = { m: 64, k: 512, n: 512 } as const;
/** Timed products stop once this much time has passed, or after MAX_REPS. */
const MIN_TIMED_MS = 25;
const MAX_REPS = 8;

/** What the probe measured. */
export interface MatmulRate {
  /** Multiply-adds × 2 per second over the timed products. */
  flopsPerSecond: number;
  /** Products timed (after one untimed run that compiles the kernel). */
  reps: number;
  /** Milliseconds they took together. */
  ms: number;
}

/** 2·M·K·N: the FLOPs of one probe product. */
export const probeFlops = (): number => 2 * PROBE_SHAPE.m * PROBE_SHAPE.k * PROBE_SHAPE.n;

/**
 * Times PROBE_SHAPE matmuls on the current backend, each read back (`await data()`, so a GPU's
 * queue is drained). Null when the clock gave no time to divide by. Every tensor is disposed.
 */
export async function probeMatmulRate(
  now: () => number = () => performance.now(),
): Promise<MatmulRate | null> {
  const { m, k, n } = PROBE_SHAPE;
  const a = tf.randomUniform([m, k], -1, 1, 'float32', 1);
  const b = tf.randomUniform([k, n], -1, 1, 'float32', 2);
  const once = async () => {
    const c = tf.matMul(a, b);
    try {
      await c.data(); // sync point: the product is done
    } finally {
      c.dispose();
    }
  };
  try {
    await once();
    const start = now();
    let reps = 0;
    let ms = 0;
    while (reps < MAX_REPS && ms < MIN_TIMED_MS) {
      await once();
      reps += 1;
      ms = now() - start;
    }
    if (!(ms > 0)) return null;
    return { flopsPerSecond: (probeFlops() * reps) / (ms / 1000), reps, ms };
  } finally {
    a.dispose();
    b.dispose();
  }
}
