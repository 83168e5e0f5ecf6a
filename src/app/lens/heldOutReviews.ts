// The built-in LMs' default input: the IMDB test reviews their lens.json was measured on, read
// from the page's own imdb dataset and mapped to LM ids as the LM trainer maps them (ids past the
// LM's vocabulary become [UNK], [PAD] is masked out).
import type { NamedArray } from '../../engine/io/dtypes';
import { loadBuiltinDataset, type DatasetFileReader } from '../../engine/data/builtin';
import { sampleIndices } from '../../engine/data/order';
import { PAD_ID, UNK_ID } from '../../engine/data/tokenizer';

/** What lens.json says about the reviews it was measured on. */
export interface HeldOutSpec {
  split: 'test';
  rows: number;
  rowSeed: string;
}

/** Token ids for the lens: input_ids and attention_mask [N, T], and what names them. */
export interface LensIds {
  source: string;
  arrays: NamedArray[];
  n: number;
}

/**
 * What a run on the first `used` of the `held` reviews reads, in words: "imdb test reviews (the
 * first 32 of the 500 held out in lens.json)", or "(the 500 held out …)" when it reads them all.
 */
export function heldOutSource(used: number, held: number): string {
  const count = (n: number) => n.toLocaleString('en-US');
  const which = used < held ? `first ${count(used)} of the ${count(held)}` : count(held);
  return `imdb test reviews (the ${which} held out in lens.json)`;
}

/** Checks lens.json's split, rows and rowSeed; errors name the file and field. */
export function heldOutSpec(json: unknown, path: string): HeldOutSpec {
  const r = (json ?? {}) as Record<string, unknown>;
  if (r.split !== 'test') throw new Error(`${path}: split is ${String(r.split)}, expected "test"`);
  if (!Number.isInteger(r.rows) || (r.rows as number) < 1)
    throw new Error(`${path}: rows is ${String(r.rows)}, expected a positive integer`);
  if (typeof r.rowSeed !== 'string' || !r.rowSeed)
    throw new Error(`${path}: rowSeed is ${String(r.rowSeed)}, expected a non-empty string`);
  return { split: 'test', rows: r.rows as number, rowSeed: r.rowSeed };
}

/** The reviews `spec` names as LM input over a vocabulary of `vocabSize` ids. */
export function heldOutIds(
  x: ArrayLike<number>,
  n: number,
  seqLen: number,
  spec: HeldOutSpec,
  vocabSize: number,
): LensIds {
  if (spec.rows > n)
    throw new Error(`lens.json: rows ${spec.rows}, expected at most the ${n} imdb test reviews`);
  const rows = sampleIndices(n, spec.rows, spec.rowSeed);
  const ids = new Int32Array(rows.length * seqLen);
  const mask = new Int32Array(rows.length * seqLen);
  rows.forEach((row, i) => {
    for (let j = 0; j < seqLen; j++) {
      const id = x[row * seqLen + j];
      ids[i * seqLen + j] = id >= vocabSize ? UNK_ID : id;
      mask[i * seqLen + j] = id === PAD_ID ? 0 : 1;
    }
  });
  const shape = [rows.length, seqLen];
  return {
    source: heldOutSource(rows.length, rows.length),
    n: rows.length,
    arrays: [
      { name: 'input_ids', dtype: 'int32', shape, data: ids },
      { name: 'attention_mask', dtype: 'int32', shape, data: mask },
    ],
  };
}

/** Reads the page's imdb dataset and picks the held-out reviews. Throws naming the file. */
export async function loadHeldOutIds(
  readFile: DatasetFileReader,
  spec: HeldOutSpec,
  vocabSize: number,
): Promise<LensIds> {
  const imdb = await loadBuiltinDataset('imdb', readFile);
  const seqLen = imdb.inputShape[0];
  return heldOutIds(imdb.test.x, imdb.test.n, seqLen, spec, vocabSize);
}
