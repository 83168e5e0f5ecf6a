// The session's own datasets: imports staged for the preview (rows parsed, nothing registered),
// then registered under a `user-…` name when the user confirms. A failed or cancelled import
// leaves nothing behind.
import type { DatasetInfo, DatasetSummary, StagedDataset } from '../apiTypes';
import type { Dataset } from '../data/types';
import { classNamesOf, datasetFromRows, splitIndices, splitRows } from '../import/datasets';
import type { LabelledRows } from '../import/labelledRows';
import type { ReadRowsResult } from '../import/readDatasetRows';

/** The split of imported rows is seeded, so the same file always splits the same way. */
const SPLIT_SEED = 'user-dataset';
export const DEFAULT_TEST_FRACTION = 0.2;
const PREVIEW_ROWS = 32;

interface Staged {
  title: string;
  sourceFiles: string;
  result: ReadRowsResult;
  classNames: string[];
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

/** How models will read the rows: each model resizes images or tokenizes texts its own way. */
function readingNote(rows: LabelledRows): string {
  if (rows.kind === 'image')
    return `Images are kept at ${rows.inputShape.join('×')} (H×W×C); each image model resizes them to its own input (bilinear, grey or colour as it reads) when it reads them.`;
  return 'Texts are kept as written; each text model splits them with its own tokenizer when it reads them.';
}

export class UserDatasets {
  private readonly staged = new Map<string, Staged>();
  private readonly registered = new Map<string, { info: DatasetInfo; dataset: Dataset }>();
  private count = 0;

  /** Keeps parsed rows for the preview; throws (keeping nothing) when they cannot make a dataset. */
  stage(result: ReadRowsResult, title: string, sourceFiles: string): StagedDataset {
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
    const notes = [...result.notes, readingNote(rows)];
    this.staged.set(id, { title, sourceFiles, result, classNames, notes });
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
      inputShape: rows.kind === 'image' ? [...rows.inputShape] : [],
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
      rawTexts: true,
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
