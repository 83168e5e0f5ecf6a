// The session's own datasets: imports staged for the preview (rows parsed, nothing registered),
// then registered under a `user-…` name when the user confirms. A failed or cancelled import
// leaves nothing behind.
import type { DatasetInfo, DatasetSummary, StagedDataset } from '../apiTypes';
import { createWordTokenizer, UNK_ID, type WordTokenizerSpec } from '../data/tokenizer';
import type { Dataset } from '../data/types';
import { classNamesOf, datasetFromRows, splitIndices, splitRows } from '../import/datasets';
import type { LabelledRows } from '../import/labelledRows';
import type { ReadRowsResult } from '../import/readDatasetRows';

/** The split of imported rows is seeded, so the same file always splits the same way. */
const SPLIT_SEED = 'user-dataset';
export const DEFAULT_TEST_FRACTION = 0.2;
const PREVIEW_ROWS = 32;

/** What the rows must fit to be read by the built-in models of a dataset. */
export interface ImportTarget {
  /** The built-in dataset whose models should read the rows. */
  name: string;
  inputShape: number[];
  tokenizer?: WordTokenizerSpec;
}

interface Staged {
  title: string;
  sourceFiles: string;
  result: ReadRowsResult;
  classNames: string[];
  target?: ImportTarget;
  /** Whether the target's models can read the rows as they are. */
  fits: boolean;
  notes: string[];
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/\.[a-z0-9]+$/, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'dataset'
  );
}

/** Notes on how rows fit the target: shape mismatch, truncation, unknown words. */
function fitNotes(rows: LabelledRows, target: ImportTarget | undefined): string[] {
  if (!target) return [];
  if (rows.kind === 'image') {
    const want = target.inputShape;
    if (rows.inputShape.some((d, i) => d !== want[i]))
      return [
        `Images are ${rows.inputShape.join('×')} but the ${target.name} models read ${want.join('×')}: they cannot analyse this dataset as it is. Resize the images to ${want[0]}×${want[1]} with ${want[2]} channel${want[2] === 1 ? '' : 's'}, or drop them as a folder or zip of images (Strata resizes those).`,
      ];
    return [];
  }
  if (!target.tokenizer) return [];
  const tokenizer = createWordTokenizer(target.tokenizer);
  const limit = target.tokenizer.seqLen - 1;
  let truncated = 0;
  let tokens = 0;
  let unknown = 0;
  const ids = new Uint16Array(target.tokenizer.seqLen);
  for (const t of rows.texts) {
    const words = tokenizer.tokenize(t).length;
    if (words > limit) truncated++;
    tokenizer.encodeInto(t, ids, 0);
    for (let i = 1; i <= Math.min(words, limit); i++) {
      tokens++;
      if (ids[i] === UNK_ID) unknown++;
    }
  }
  const notes = [
    `Texts are encoded with the ${target.name} tokenizer (${target.tokenizer.vocab.length.toLocaleString('en-US')} words) so its models can read them.`,
  ];
  if (truncated > 0)
    notes.push(
      `${truncated.toLocaleString('en-US')} of ${rows.n.toLocaleString('en-US')} texts are longer than ${limit} tokens and are truncated.`,
    );
  if (tokens > 0 && unknown / tokens > 0.05)
    notes.push(
      `${((100 * unknown) / tokens).toFixed(0)}% of the words are outside that vocabulary and read as [UNK].`,
    );
  return notes;
}

export class UserDatasets {
  private readonly staged = new Map<string, Staged>();
  private readonly registered = new Map<string, { info: DatasetInfo; dataset: Dataset }>();
  private count = 0;

  /** Keeps parsed rows for the preview; throws (keeping nothing) when they cannot make a dataset. */
  stage(
    result: ReadRowsResult,
    title: string,
    sourceFiles: string,
    target?: ImportTarget,
  ): StagedDataset {
    const { rows } = result;
    const classNames = classNamesOf(rows.labels);
    if (classNames.length < 2)
      throw new Error(
        `${rows.source}: every row has the label ${JSON.stringify(classNames[0])}; a classifier needs at least 2 classes`,
      );
    if (rows.n < 4)
      throw new Error(
        `${rows.source}: ${rows.n} rows, expected at least 4 (a train and a test split)`,
      );
    const id = `staged-${++this.count}`;
    const notes = [...result.notes, ...fitNotes(rows, target)];
    const fits =
      !!target &&
      (rows.kind === 'image'
        ? rows.inputShape.every((d, i) => d === target.inputShape[i])
        : !!target.tokenizer);
    this.staged.set(id, { title, sourceFiles, result, classNames, target, fits, notes });
    return this.preview(id, DEFAULT_TEST_FRACTION);
  }

  /** The staged dataset's preview at a test fraction (counts per split, first test rows). */
  preview(id: string, testFraction: number): StagedDataset {
    const s = this.get(id);
    const { rows } = s.result;
    const { train, test } = splitIndices(rows.n, testFraction, SPLIT_SEED);
    const index = new Map(s.classNames.map((c, i) => [c, i]));
    const counts = (indices: Int32Array) => {
      const c = new Array<number>(s.classNames.length).fill(0);
      for (const i of indices) c[index.get(rows.labels[i])!]++;
      return c;
    };
    const first = Array.from(test.subarray(0, PREVIEW_ROWS));
    const preview: DatasetSummary['preview'] = {
      labels: first.map((i) => index.get(rows.labels[i])!),
    };
    if (rows.kind === 'image') {
      const size = rows.inputShape[0] * rows.inputShape[1] * rows.inputShape[2];
      const images = new Uint8Array(first.length * size);
      first.forEach((i, k) => images.set(rows.x.subarray(i * size, (i + 1) * size), k * size));
      preview.images = images;
    } else {
      preview.texts = first.map((i) => rows.texts[i]);
    }
    const summary: DatasetSummary = {
      name: id,
      title: s.title,
      kind: rows.kind,
      classNames: s.classNames,
      inputShape:
        rows.kind === 'image' ? [...rows.inputShape] : [s.target?.tokenizer?.seqLen ?? 128],
      trainCount: train.length,
      testCount: test.length,
      source: `your files: ${s.sourceFiles}`,
      licence: 'yours (it stays on this machine)',
      origin: 'user',
      trainClassCounts: counts(train),
      testClassCounts: counts(test),
      preview,
    };
    return {
      id,
      testFraction,
      summary,
      notes: s.notes,
      like: s.fits ? s.target?.name : undefined,
      ...(s.result.columns ? { columns: { ...s.result.columns } } : {}),
    };
  }

  /** Registers the staged rows as a dataset with that split; returns its info. */
  commit(id: string, testFraction: number): DatasetInfo {
    const s = this.get(id);
    const { train, test } = splitRows(s.result.rows, testFraction, SPLIT_SEED);
    let name = `user-${slug(s.title)}`;
    for (let k = 2; this.registered.has(name); k++) name = `user-${slug(s.title)}-${k}`;
    const dataset = datasetFromRows(train, test, {
      name,
      title: s.title,
      tokenizer: s.fits ? s.target?.tokenizer : undefined,
    });
    const info: DatasetInfo = {
      name,
      title: s.title,
      kind: dataset.kind,
      classNames: dataset.classNames,
      inputShape: dataset.inputShape,
      trainCount: dataset.train.n,
      testCount: dataset.test.n,
      source: `your files: ${s.sourceFiles}`,
      licence: 'yours (it stays on this machine)',
      origin: 'user',
      ...(s.fits ? { fitsModelsOf: s.target!.name } : {}),
    };
    this.registered.set(name, { info, dataset });
    this.staged.delete(id);
    return info;
  }

  discard(id: string): void {
    this.staged.delete(id);
  }

  infos(): DatasetInfo[] {
    return [...this.registered.values()].map((r) => r.info);
  }

  dataset(name: string): { info: DatasetInfo; dataset: Dataset } | undefined {
    return this.registered.get(name);
  }

  private get(id: string): Staged {
    const s = this.staged.get(id);
    if (!s) throw new Error(`import ${id}: no such staged dataset (already used or cancelled)`);
    return s;
  }
}
