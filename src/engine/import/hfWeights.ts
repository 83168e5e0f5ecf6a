// A Hugging Face checkpoint's tensors, checked under their hub names and renamed to Strata's.
import { formatShape, type NamedArray } from '../io/dtypes';
import { FileFormatError } from '../io/fileFormatError';
import type { NamedArrayInput } from '../model/namedArrays';
import { backbonePrefix, paramSpecs } from '../model/params';
import type { HfModelSpec } from './hfConfig';

const FLOAT_DTYPES: readonly string[] = ['float32', 'float64', 'float16', 'bfloat16'];

/** The checkpoint's name of a Strata tensor: the backbone prefix differs (`deit.`, `bert.`). */
export function hubTensorName(strataName: string, spec: HfModelSpec): string {
  const ours = `${backbonePrefix(spec.config)}.`;
  return strataName.startsWith(ours)
    ? `${spec.prefix}.${strataName.slice(ours.length)}`
    : strataName;
}

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
 * One Strata tensor and the checkpoint tensor it comes from; with `addTypeRow0`, BERT's
 * token-type table whose row 0 is added to every position (see {@link foldTokenTypes}).
 */
export interface TensorPlan<T extends TensorInfo> {
  name: string;
  shape: readonly number[];
  tensor: T;
  addTypeRow0?: T;
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
    const tensor = taker.take(hub, p.torchShape);
    const plan: TensorPlan<T> = { name: p.name, shape: p.torchShape, tensor };
    if (spec.typeVocabSize !== undefined && hub.endsWith('embeddings.position_embeddings.weight'))
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
 * BERT: `token_type_embeddings` row 0 added to every position embedding [P, D], since Strata's
 * text model has no token types and transformers uses type 0 when none is given.
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
  const arrays = plans.map(({ name, shape, tensor, addTypeRow0 }): NamedArrayInput => {
    checkFinite(tensor.data, tensor.name, file);
    if (!addTypeRow0) return { name, shape, data: tensor.data };
    checkFinite(addTypeRow0.data, addTypeRow0.name, file);
    return { name, shape, data: foldTokenTypes(tensor.data, addTypeRow0.data, shape[1]) };
  });
  return { arrays, unused };
}
