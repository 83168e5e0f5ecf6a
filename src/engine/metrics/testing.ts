// Helpers shared by the metric tests (not part of the engine's API).
import { tf } from '../tf';
import type { Tensor2D } from '../tf';
import type { BackendName } from '../backend';
import fixtures from './fixtures/metrics.json';

export { maxAbsDiff } from './matrixDiff';

/** The Node backends every metric test runs on. */
export const TEST_BACKENDS: BackendName[] = ['cpu', 'wasm'];

export type FixtureSet = (typeof fixtures.sets)[number];
export const FIXTURE_SETS: FixtureSet[] = fixtures.sets;

/** The set's layers as [n, width] float32 tensors (the caller disposes them). */
export function fixtureLayers(set: FixtureSet): Tensor2D[] {
  return set.layers.map((flat, l) => tf.tensor2d(flat, [set.n, set.widths[l]]));
}

/** Seeded standard-normal [n, d] tensor. */
export function randomLayer(n: number, d: number, seed: number): Tensor2D {
  return tf.randomNormal([n, d], 0, 1, 'float32', seed);
}

/** A d×d rotation (det +1): the product of two Householder reflections I − 2vvᵀ/‖v‖². */
export function rotation(d: number, seed: number): Tensor2D {
  let state = seed;
  const rand = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 - 0.5;
  };
  const reflect = () => {
    const v = Array.from({ length: d }, rand);
    const vv = v.reduce((s, x) => s + x * x, 0);
    return tf.tensor2d(
      Array.from({ length: d * d }, (_, ij) => {
        const i = Math.floor(ij / d);
        const j = ij % d;
        return (i === j ? 1 : 0) - (2 * v[i] * v[j]) / vv;
      }),
      [d, d],
    );
  };
  return tf.tidy(() => tf.matMul(reflect(), reflect()));
}
