// Initial values of the parameters, drawn in JavaScript so that every backend starts the same.
import seedrandom from 'seedrandom';
import { tf } from '../tf';
import type { Variable } from '../tf';

/** What initialising one tensor needs to know of it (ParamSpec in params.ts extends it). */
export interface InitSpec {
  /** Hugging Face name: it seeds the tensor's own random stream. */
  name: string;
  /** Shape in the record. */
  shape: number[];
  init: 'normal' | 'ones' | 'zeros';
  /** Row of an embedding table that starts at zero (the padding token). */
  zeroRow?: number;
}

/** Standard deviation of the initial weights, as Hugging Face ViT's `initializer_range`. */
export const INIT_STD = 0.02;

/** Normal(0, std) truncated at ±2 std, by Box–Muller with rejection, from a seeded stream. */
function truncatedNormal(rng: () => number, n: number, std: number): Float32Array {
  const out = new Float32Array(n);
  let i = 0;
  while (i < n) {
    const r = Math.sqrt(-2 * Math.log(1 - rng()));
    const theta = 2 * Math.PI * rng();
    for (const z of [r * Math.cos(theta), r * Math.sin(theta)]) {
      if (i < n && Math.abs(z) <= 2) out[i++] = z * std;
    }
  }
  return out;
}

/** Initial values of one tensor; each tensor has its own stream, seeded by `seed` and its name. */
export function initialValues(spec: InitSpec, seed: number | string): Float32Array {
  const n = spec.shape.reduce((a, b) => a * b, 1);
  if (spec.init === 'ones') return new Float32Array(n).fill(1);
  if (spec.init === 'zeros') return new Float32Array(n);
  const values = truncatedNormal(seedrandom(`${seed}/${spec.name}`), n, INIT_STD);
  if (spec.zeroRow !== undefined) {
    const width = spec.shape[spec.shape.length - 1];
    values.fill(0, spec.zeroRow * width, (spec.zeroRow + 1) * width);
  }
  return values;
}

/** Creates a trainable variable holding `values` (which it copies). */
export function variableFrom(values: Float32Array, shape: number[]): Variable {
  const initial = tf.tensor(values, shape, 'float32');
  const variable = tf.variable(initial, true);
  initial.dispose();
  return variable;
}
