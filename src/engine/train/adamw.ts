import { tf } from '../tf';
import type { Scalar, Tensor, Variable } from '../tf';

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
 */
export class AdamW {
  private readonly m: Variable[];
  private readonly v: Variable[];
  private t = 0;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private readonly weightDecay: number;
  private readonly clipNorm?: number;

  constructor(
    private readonly variables: Variable[],
    options: AdamWOptions = {},
  ) {
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0.01;
    this.clipNorm = options.clipNorm;
    // tidy frees the zeros the variables are made from; variables themselves survive it.
    this.m = tf.tidy(() => variables.map((p) => tf.variable(tf.zerosLike(p), false)));
    this.v = tf.tidy(() => variables.map((p) => tf.variable(tf.zerosLike(p), false)));
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
    const { beta1, beta2, epsilon, weightDecay, t } = this;
    const c1 = 1 - beta1 ** t;
    const c2 = 1 - beta2 ** t;
    return tf.tidy(() => {
      const present = grads.filter((g): g is Tensor => g != null);
      const norm = tf.sqrt(tf.addN(present.map((g) => tf.sum(tf.square(g))))) as Scalar;
      const scale = this.clipNorm
        ? tf.minimum(1, tf.div(this.clipNorm, tf.add(norm, 1e-6)))
        : tf.scalar(1);
      this.variables.forEach((p, i) => {
        const grad = grads[i];
        if (grad == null) return;
        const g = tf.mul(grad, scale);
        const m = tf.add(tf.mul(this.m[i], beta1), tf.mul(g, 1 - beta1));
        const v = tf.add(tf.mul(this.v[i], beta2), tf.mul(tf.square(g), 1 - beta2));
        this.m[i].assign(m);
        this.v[i].assign(v);
        let update = tf.div(tf.div(m, c1), tf.add(tf.sqrt(tf.div(v, c2)), epsilon));
        if (weightDecay > 0 && p.rank >= 2) update = tf.add(update, tf.mul(p, weightDecay));
        p.assign(tf.sub(p, tf.mul(update, lr)));
      });
      return norm;
    });
  }

  /** The moments, for checkpoints that resume training (names match the variables' order). */
  state(): { step: number; m: Variable[]; v: Variable[] } {
    return { step: this.t, m: this.m, v: this.v };
  }

  /**
   * Copies of the moments taken now (synchronously, so a step that runs while the caller reads
   * them back cannot tear the snapshot); the caller owns and disposes the copies.
   */
  captureState(): { step: number; m: Tensor[]; v: Tensor[] } {
    return { step: this.t, m: this.m.map((x) => tf.clone(x)), v: this.v.map((x) => tf.clone(x)) };
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
    this.variables.forEach((p, i) => {
      tf.tidy(() => {
        this.m[i].assign(tf.tensor(Float32Array.from(state.m[i]), p.shape, 'float32'));
        this.v[i].assign(tf.tensor(Float32Array.from(state.v[i]), p.shape, 'float32'));
      });
    });
    this.t = state.step;
  }

  dispose(): void {
    this.m.forEach((x) => x.dispose());
    this.v.forEach((x) => x.dispose());
  }
}
