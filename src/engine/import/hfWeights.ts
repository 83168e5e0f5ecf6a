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

/** Looks tensors up by hub name and checks dtype, shape and values, naming the tensor on failure. */
function tensorTaker(tensors: readonly NamedArray[], file: string) {
  const byName = new Map(tensors.map((t) => [t.name, t]));
  const used = new Set<string>();
  return {
    used,
    take(name: string, shape: readonly number[]): NamedArray {
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
      const bad = found.data.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) {
        throw new FileFormatError(
          file,
          `${where} has a non-finite value (${found.data[bad]}) at flat index ${bad}`,
        );
      }
      used.add(found.name);
      return found;
    },
  };
}

/**
 * Checks a checkpoint's tensors against what `spec` needs, under the hub's own names, and returns
 * them under Strata's names (torch layouts kept) with the names of the tensors left unused.
 * BERT: `token_type_embeddings` row 0 is added to every position embedding, since Strata's text
 * model has no token types and transformers uses type 0 when none is given.
 * Throws a FileFormatError naming `file` and the tensor on a missing, mis-shaped, non-float or
 * non-finite tensor.
 */
export function mapHuggingFaceWeights(
  tensors: readonly NamedArray[],
  spec: HfModelSpec,
  file: string,
): { arrays: NamedArrayInput[]; unused: string[] } {
  const taker = tensorTaker(tensors, file);
  const d = spec.config.hiddenSize;
  const arrays = paramSpecs(spec.config).map((p): NamedArrayInput => {
    const hub = hubTensorName(p.name, spec);
    const found = taker.take(hub, p.torchShape);
    if (
      spec.typeVocabSize === undefined ||
      !hub.endsWith('embeddings.position_embeddings.weight')
    ) {
      return { name: p.name, shape: p.torchShape, data: found.data };
    }
    const types = taker.take(`${spec.prefix}.embeddings.token_type_embeddings.weight`, [
      spec.typeVocabSize,
      d,
    ]);
    const folded = Float32Array.from(found.data); // [P, D]
    for (let i = 0; i < folded.length; i++) folded[i] += types.data[i % d];
    return { name: p.name, shape: p.torchShape, data: folded };
  });
  const unused = tensors.map((t) => t.name).filter((n) => !taker.used.has(n));
  return { arrays, unused };
}
