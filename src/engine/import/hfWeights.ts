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

/** Looks tensors up by hub name and checks dtype, shape and values, naming the tensor on failure. */
function tensorTaker(tensors: readonly NamedArray[], file: string) {
  const byName = new Map(tensors.map((t) => [t.name, t]));
  const used = new Set<string>();
  return {
    used,
    has: (name: string) => byName.has(name),
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

/**
 * Checks a checkpoint's tensors against what `spec` needs, under the hub's own names, and returns
 * them under Strata's names (torch layouts kept) with the names of the tensors left unused.
 * BERT, RoBERTa: `token_type_embeddings` row 0 is added to every position embedding, since
 * Strata's text model has no token types and transformers uses type 0 when none is given.
 * DistilBERT with sinusoidal positions: a checkpoint without the position table gets it computed.
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
    if (spec.sinusoidalPositions && isPositionTable(hub) && !taker.has(hub)) {
      const [rows, width] = p.torchShape;
      return { name: p.name, shape: p.torchShape, data: sinusoidalPositions(rows, width) };
    }
    const found = taker.take(hub, p.torchShape);
    if (spec.typeVocabSize === undefined || !isPositionTable(hub)) {
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
