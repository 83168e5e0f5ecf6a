import { formatShape, type NamedArray } from './dtypes';
import { FileFormatError } from './fileFormatError';
import { naturalCompare } from './naturalCompare';

/** One layer's activations: N samples (rows) of width D, row-major, `data.length === n · d`. */
export interface ActivationLayer {
  name: string;
  n: number;
  d: number;
  data: Float32Array;
}

export interface ActivationLayers {
  names: string[];
  layers: ActivationLayer[];
}

const LAYOUT = 'expected several 2-D arrays [N, D] (one per layer) or one 3-D array [L, N, D]';

/**
 * Float32 copy of the values, refusing NaN and ±Infinity (and float64 values beyond float32's
 * range). `describe(i)` turns a flat index into a place (`row 5, column 17`) for the message.
 */
function finiteFloat32(
  array: NamedArray,
  fileName: string,
  describe: (flat: number) => string,
): Float32Array {
  const source = array.data;
  const out = source instanceof Float32Array ? source : Float32Array.from(source);
  for (let i = 0; i < out.length; i++) {
    if (Number.isFinite(out[i])) continue;
    const what = Number.isFinite(source[i])
      ? `${source[i]}, which overflows float32,`
      : String(source[i]);
    throw new FileFormatError(
      fileName,
      `array "${array.name}" has ${what} at ${describe(i)} (flat index ${i}); activations must be finite`,
    );
  }
  return out;
}

/**
 * The layout rule of `strata analyze --activations FILE` (docs/design.md §1, "Formats"): the arrays
 * of a .npz / .npy / .safetensors file become layers, either
 * - several 2-D arrays [N, D_l], one per layer, ordered by their names in natural order
 *   (`layer_2` before `layer_10`); widths may differ, N must not; or
 * - a single 3-D array [L, N, D], split along its first axis into `layer_0 … layer_{L-1}`.
 * Values are converted to float32 and must be finite. N ≥ 1 and D ≥ 1; limits that depend on
 * the metric (N ≥ 4 for debiased CKA, equal widths for cosine) are checked by the metrics.
 * A float32 2-D array's data is used as is, and the layers of a 3-D array are views into one
 * buffer: copy before mutating.
 */
export function activationLayersFromArrays(
  arrays: readonly NamedArray[],
  fileName: string,
): ActivationLayers {
  const fail = (detail: string) => new FileFormatError(fileName, detail);
  if (arrays.length === 0) throw fail(`holds no arrays, so no layers; ${LAYOUT}`);
  for (const a of arrays) {
    if (a.shape.length !== 2 && a.shape.length !== 3) {
      throw fail(
        `array "${a.name}" has shape ${formatShape(a.shape)} (${a.shape.length}-D); ${LAYOUT}`,
      );
    }
  }
  const stacks = arrays.filter((a) => a.shape.length === 3);
  if (stacks.length > 1) {
    const names = stacks.map((a) => `"${a.name}"`).join(', ');
    throw fail(`holds ${stacks.length} 3-D arrays (${names}); ${LAYOUT}`);
  }
  if (stacks.length === 1 && arrays.length > 1) {
    const other = arrays.find((a) => a.shape.length === 2) as NamedArray;
    throw fail(
      `mixes the 3-D array "${stacks[0].name}" ${formatShape(stacks[0].shape)} with the 2-D ` +
        `array "${other.name}" ${formatShape(other.shape)}; ${LAYOUT}, not both`,
    );
  }

  if (stacks.length === 1) {
    const stack = stacks[0];
    const [l, n, d] = stack.shape;
    if (l === 0)
      throw fail(`array "${stack.name}" has shape ${formatShape(stack.shape)}: zero layers`);
    if (n === 0 || d === 0) {
      throw fail(
        `array "${stack.name}" has shape ${formatShape(stack.shape)}: every layer needs N ≥ 1 samples of width D ≥ 1`,
      );
    }
    const values = finiteFloat32(stack, fileName, (i) => {
      const layer = Math.floor(i / (n * d));
      return `layer ${layer}, row ${Math.floor(i / d) % n}, column ${i % d}`;
    });
    const layers = Array.from({ length: l }, (_, k) => ({
      name: `layer_${k}`,
      n,
      d,
      data: values.subarray(k * n * d, (k + 1) * n * d), // [N, D] of the [L, N, D] stack
    }));
    return { names: layers.map((x) => x.name), layers };
  }

  const ordered = [...arrays].sort((a, b) => naturalCompare(a.name, b.name));
  const first = ordered[0];
  const layers = ordered.map((a) => {
    const [n, d] = a.shape;
    if (n !== first.shape[0]) {
      throw fail(
        `array "${a.name}" has ${n} rows but "${first.name}" has ${first.shape[0]}; ` +
          `every layer must hold the same N samples`,
      );
    }
    if (n === 0 || d === 0) {
      throw fail(
        `array "${a.name}" has shape ${formatShape(a.shape)}: a layer needs N ≥ 1 samples of width D ≥ 1`,
      );
    }
    const data = finiteFloat32(a, fileName, (i) => `row ${Math.floor(i / d)}, column ${i % d}`);
    return { name: a.name, n, d, data };
  });
  return { names: layers.map((x) => x.name), layers };
}
