// A Hugging Face checkpoint's tensors, checked under their hub names and renamed to Strata's.
import { formatShape, type NamedArray } from '../io/dtypes';
import { FileFormatError } from '../io/fileFormatError';
import type { NamedArrayInput } from '../model/namedArrays';
import { paramSpecs } from '../model/params';
import type { HfModelSpec } from './hfConfig';
import { hubTensorName } from './hfNames';

const FLOAT_DTYPES: readonly string[] = ['float32', 'float64', 'float16', 'bfloat16'];

/** Older BERT conversions name LayerNorm parameters gamma and beta, as transformers still reads. */
function legacyName(name: string): string | undefined {
  if (name.endsWith('LayerNorm.weight')) return name.replace(/weight$/, 'gamma');
  if (name.endsWith('LayerNorm.bias')) return name.replace(/bias$/, 'beta');
  return undefined;
}

/** What the mapping needs to know of a tensor before reading it. */
export interface TensorInfo {
  name: string;
  dtype: string;
  shape: readonly number[];
}

/** Looks tensors up by hub name and checks dtype and shape, naming the tensor on failure. */
function tensorTaker<T extends TensorInfo>(tensors: readonly T[], file: string) {
  const byName = new Map(tensors.map((t) => [t.name, t]));
  const used = new Set<string>();
  return {
    used,
    has: (name: string) => byName.has(name),
    take(name: string, shape: readonly number[]): T {
      const alias = legacyName(name);
      const found = byName.get(name) ?? (alias === undefined ? undefined : byName.get(alias));
      if (!found) {
        throw new FileFormatError(
          file,
          `tensor ${name} is missing, expected shape ${formatShape(shape)}`,
        );
      }
      const where = `tensor ${found.name}`;
      if (!FLOAT_DTYPES.includes(found.dtype)) {
        throw new FileFormatError(
          file,
          `${where} has dtype ${found.dtype}, expected a floating-point type (F32, F16, BF16, F64)`,
        );
      }
      const sameShape =
        found.shape.length === shape.length && found.shape.every((n, i) => n === shape[i]);
      if (!sameShape) {
        throw new FileFormatError(
          file,
          `${where} has shape ${formatShape(found.shape)}, expected ${formatShape(shape)}`,
        );
      }
      used.add(found.name);
      return found;
    },
  };
}

const isPositionTable = (hub: string) => hub.endsWith('embeddings.position_embeddings.weight');

/**
 * DistilBERT's `sinusoidal_pos_embds` table as transformers computes it: row p, column j holds
 * sin (even j) or cos (odd j) of p / 10000^(2⌊j/2⌋ / D). [P, D] row-major.
 */
export function sinusoidalPositions(rows: number, width: number): Float32Array {
  const out = new Float32Array(rows * width);
  for (let p = 0; p < rows; p++) {
    for (let j = 0; j < width; j++) {
      const angle = p / 10000 ** ((2 * Math.floor(j / 2)) / width);
      out[p * width + j] = j % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return out;
}

/** Throws a FileFormatError naming the tensor at its first non-finite value. */
export function checkFinite(data: ArrayLike<number>, tensor: string, file: string): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]))
      throw new FileFormatError(
        file,
        `tensor ${tensor} has a non-finite value (${data[i]}) at flat index ${i}`,
      );
  }
}

/**
 * One Strata tensor and where its values come from: a checkpoint tensor (with `addTypeRow0`,
 * BERT's and RoBERTa's token-type table whose row 0 is added to every position, see
 * {@link foldTokenTypes}), or, for DistilBERT's sinusoidal positions left out of the checkpoint,
 * `computed` (then `tensor` is null).
 */
export interface TensorPlan<T extends TensorInfo> {
  name: string;
  shape: readonly number[];
  tensor: T | null;
  addTypeRow0?: T;
  computed?: () => Float32Array;
}

/**
 * Checks a checkpoint's tensor headers against what `spec` needs, under the hub's own names, and
 * says which checkpoint tensor gives each Strata tensor (torch layouts kept), with the names of
 * the tensors left unused. Throws a FileFormatError naming `file` and the tensor on a missing,
 * mis-shaped or non-float tensor; reads no values.
 */
export function planHuggingFaceWeights<T extends TensorInfo>(
  tensors: readonly T[],
  spec: HfModelSpec,
  file: string,
): { plans: TensorPlan<T>[]; unused: string[] } {
  const taker = tensorTaker(tensors, file);
  const d = spec.config.hiddenSize;
  const plans = paramSpecs(spec.config).map((p): TensorPlan<T> => {
    const hub = hubTensorName(p.name, spec);
    if (spec.sinusoidalPositions && isPositionTable(hub) && !taker.has(hub)) {
      const [rows, width] = p.torchShape;
      return {
        name: p.name,
        shape: p.torchShape,
        tensor: null,
        computed: () => sinusoidalPositions(rows, width),
      };
    }
    const tensor = taker.take(hub, p.torchShape);
    const plan: TensorPlan<T> = { name: p.name, shape: p.torchShape, tensor };
    if (spec.typeVocabSize !== undefined && isPositionTable(hub))
      plan.addTypeRow0 = taker.take(`${spec.prefix}.embeddings.token_type_embeddings.weight`, [
        spec.typeVocabSize,
        d,
      ]);
    return plan;
  });
  const unused = tensors.map((t) => t.name).filter((n) => !taker.used.has(n));
  return { plans, unused };
}

/**
 * Token-type row 0 added to every position embedding [P, D], since Strata's text model has no
 * token types and transformers uses type 0 when none is given.
 */
export function foldTokenTypes(
  positions: ArrayLike<number>,
  types: ArrayLike<number>,
  d: number,
): Float32Array {
  const folded = Float32Array.from(positions); // [P, D]
  for (let i = 0; i < folded.length; i++) folded[i] += types[i % d];
  return folded;
}

/**
 * {@link planHuggingFaceWeights} on tensors already in memory: returns them under Strata's names
 * with the names left unused. Also throws on a non-finite value, naming the tensor.
 */
export function mapHuggingFaceWeights(
  tensors: readonly NamedArray[],
  spec: HfModelSpec,
  file: string,
): { arrays: NamedArrayInput[]; unused: string[] } {
  const { plans, unused } = planHuggingFaceWeights(tensors, spec, file);
  const arrays = plans.map(({ name, shape, tensor, addTypeRow0, computed }): NamedArrayInput => {
    if (!tensor) return { name, shape, data: computed!() };
    checkFinite(tensor.data, tensor.name, file);
    if (!addTypeRow0) return { name, shape, data: tensor.data };
    checkFinite(addTypeRow0.data, addTypeRow0.name, file);
    return { name, shape, data: foldTokenTypes(tensor.data, addTypeRow0.data, shape[1]) };
  });
  return { arrays, unused };
}
