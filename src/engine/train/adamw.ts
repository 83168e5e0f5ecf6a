import { tf } from '../tf';
import type { Scalar, Tensor, Variable } from '../tf';
import {
  flatten,
  makeBucket,
  planBuckets,
  presentMask,
  unflatten,
  type Bucket,
} from './adamwBuckets';

export interface AdamWOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Decoupled weight decay (Loshchilov & Hutter 2019), applied to matrices only, not to biases or norms. */
  weightDecay?: number;
  /** Clip the global gradient norm to this value (no clipping when absent). */
  clipNorm?: number;
}

/**
 * AdamW: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², θ ← θ − lr·(m̂/(√v̂ + ε) + wd·θ) with bias
 * corrections m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ). Gradients are first scaled by
 * min(1, clipNorm / ‖g‖) over all parameters together. Keeps its moments as variables; no readback.
 * The variables are updated in flat buckets (adamwBuckets.ts): a few kernels per bucket instead
 * of ~18 per variable, the same arithmetic element by element.
 */
export class AdamW {
  private readonly buckets: Bucket[];
  private t = 0;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private readonly clipNorm?: number;

  constructor(
    private readonly variables: Variable[],
    options: AdamWOptions = {},
  ) {
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    this.clipNorm = options.clipNorm;
    const weightDecay = options.weightDecay ?? 0.01;
    this.buckets = planBuckets(variables).map((members) =>
      makeBucket(variables, members, weightDecay),
    );
  }

  /** Steps taken so far. */
  get steps(): number {
    return this.t;
  }

  /**
   * Applies one update from gradients aligned with the variables; returns the global gradient
   * norm before clipping as a scalar the caller owns (read it back only when logging). A null
   * gradient (a parameter the loss does not reach) leaves that parameter and its moments as they are.
   */
  apply(grads: (Tensor | null | undefined)[], lr: number): Scalar {
    if (grads.length !== this.variables.length) {
      throw new Error(`AdamW: ${grads.length} gradients for ${this.variables.length} variables`);
    }
    this.t += 1;
    const { beta1, beta2, epsilon, t } = this;
    const c1 = 1 - beta1 ** t;
    const c2 = 1 - beta2 ** t;
    const flatGrads = tf.tidy(() =>
      this.buckets.map((b) =>
        flatten(
          b,
          b.members.map((i) => grads[i]),
        ),
      ),
    );
    const norm = tf.tidy(
      () => tf.sqrt(tf.addN(flatGrads.map((g) => tf.sum(tf.square(g))))) as Scalar,
    );
    const scale = tf.tidy(() =>
      this.clipNorm ? tf.minimum(1, tf.div(this.clipNorm, tf.add(norm, 1e-6))) : tf.scalar(1),
    );
    // A bucket at a time, each in its own tidy: its temporaries are freed before the next.
    this.buckets.forEach((bucket, j) => {
      tf.tidy(() => {
        const present = bucket.members.map((i) => grads[i] != null);
        if (!present.some(Boolean)) return;
        const params = bucket.members.map((i) => this.variables[i]);
        const p = flatten(bucket, params);
        const g = tf.mul(flatGrads[j], scale);
        let m = tf.add(tf.mul(bucket.m, beta1), tf.mul(g, 1 - beta1));
        let v = tf.add(tf.mul(bucket.v, beta2), tf.mul(tf.square(g), 1 - beta2));
        let update = tf.div(tf.div(m, c1), tf.add(tf.sqrt(tf.div(v, c2)), epsilon));
        if (bucket.decay) update = tf.add(update, tf.mul(p, bucket.decay));
        let next = tf.sub(p, tf.mul(update, lr));
        if (!present.every(Boolean)) {
          const keep = presentMask(bucket, present);
          m = tf.where(keep, m, bucket.m);
          v = tf.where(keep, v, bucket.v);
          next = tf.where(keep, next, p);
        }
        bucket.m.assign(m);
        bucket.v.assign(v);
        unflatten(bucket, next, this.variables).forEach((x, k) => {
          if (present[k]) params[k].assign(x);
        });
      });
    });
    tf.dispose([...flatGrads, scale]);
    return norm;
  }

  /**
   * Copies of the moments taken now, one per variable in its shape (synchronously, so a step
   * that runs while the caller reads them back cannot tear the snapshot); the caller owns and
   * disposes the copies.
   */
  captureState(): { step: number; m: Tensor[]; v: Tensor[] } {
    const m: Tensor[] = [];
    const v: Tensor[] = [];
    for (const bucket of this.buckets) {
      m.push(...tf.tidy(() => unflatten(bucket, bucket.m, this.variables)));
      v.push(...tf.tidy(() => unflatten(bucket, bucket.v, this.variables)));
    }
    return { step: this.t, m, v };
  }

  /**
   * Puts back moments and the step count saved by {@link captureState} (aligned with the
   * variables), so the next update is the one the saved run would have made.
   */
  restoreState(state: { step: number; m: ArrayLike<number>[]; v: ArrayLike<number>[] }): void {
    const n = this.variables.length;
    if (state.m.length !== n || state.v.length !== n) {
      throw new Error(
        `AdamW.restoreState: ${state.m.length} first and ${state.v.length} second moments for ${n} variables`,
      );
    }
    if (!Number.isSafeInteger(state.step) || state.step < 0)
      throw new Error(`AdamW.restoreState: step ${state.step}, expected a whole number ≥ 0`);
    this.variables.forEach((p, i) => {
      for (const [label, values] of [
        ['m', state.m[i]],
        ['v', state.v[i]],
      ] as const) {
        if (values.length !== p.size)
          throw new Error(
            `AdamW.restoreState: ${label}[${i}] has ${values.length} values, expected ${p.size} (shape [${p.shape.join(', ')}])`,
          );
      }
    });
    for (const bucket of this.buckets) {
      const m = new Float32Array(bucket.size);
      const v = new Float32Array(bucket.size);
      bucket.members.forEach((i, k) => {
        m.set(state.m[i], bucket.offsets[k]);
        v.set(state.v[i], bucket.offsets[k]);
      });
      tf.tidy(() => {
        bucket.m.assign(tf.tensor1d(m));
        bucket.v.assign(tf.tensor1d(v));
      });
    }
    this.t = state.step;
  }

  dispose(): void {
    for (const b of this.buckets) tf.dispose([b.m, b.v, ...(b.decay ? [b.decay] : [])]);
  }
}
