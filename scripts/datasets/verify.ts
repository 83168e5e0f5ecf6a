import type { DatasetEntry, SplitEntry } from '../../src/engine/data/manifest';
import { rawBytes, sha256, type DatasetContent, type SplitContent } from './files';

/** The manifest fields that are facts about the data, measured from a dataset's contents. */
export interface MeasuredSplit {
  n: number;
  classCounts: number[];
  x: { bytes: number; sha256: string };
  y: { bytes: number; sha256: string };
}

export interface Measured {
  train: MeasuredSplit;
  test: MeasuredSplit;
  tokenizerSha256?: string;
}

function measureSplit(split: SplitContent, rowValues: number, classes: number): MeasuredSplit {
  const classCounts = new Array<number>(classes).fill(0);
  for (const label of split.y) {
    if (label >= classes) throw new Error(`label ${label} is not below the ${classes} classes`);
    classCounts[label]++;
  }
  const x = rawBytes(split.x);
  if (split.x.length !== split.y.length * rowValues) {
    throw new Error(
      `${split.x.length} input values for ${split.y.length} labels, expected ${rowValues} per row`,
    );
  }
  return {
    n: split.y.length,
    classCounts,
    x: { bytes: x.length, sha256: sha256(x) },
    y: { bytes: split.y.length, sha256: sha256(split.y) },
  };
}

export function measure(entry: DatasetEntry, content: DatasetContent): Measured {
  const rowValues = entry.inputShape.reduce((a, b) => a * b, 1);
  const classes = entry.classNames.length;
  return {
    train: measureSplit(content.train, rowValues, classes),
    test: measureSplit(content.test, rowValues, classes),
    ...(content.tokenizer ? { tokenizerSha256: sha256(content.tokenizer) } : {}),
  };
}

/** Every difference between the manifest entry and the measured data, one line each. */
export function differences(entry: DatasetEntry, measured: Measured): string[] {
  const out: string[] = [];
  const same = (where: string, manifest: unknown, actual: unknown): void => {
    if (JSON.stringify(manifest) !== JSON.stringify(actual)) {
      out.push(
        `${where}: manifest.json says ${JSON.stringify(manifest)}, the data has ${JSON.stringify(actual)}`,
      );
    }
  };
  for (const name of ['train', 'test'] as const) {
    const s: SplitEntry = entry.splits[name];
    const m = measured[name];
    same(`${entry.name}.splits.${name}.n`, s.n, m.n);
    same(`${entry.name}.splits.${name}.classCounts`, s.classCounts, m.classCounts);
    for (const key of ['x', 'y'] as const) {
      same(`${s[key].path} bytes`, s[key].bytes, m[key].bytes);
      same(`${s[key].path} sha256`, s[key].sha256, m[key].sha256);
    }
  }
  if (entry.tokenizer)
    same(`${entry.tokenizer.path} sha256`, entry.tokenizer.sha256, measured.tokenizerSha256);
  return out;
}

/** Writes the measured facts into the entry (for `--update-manifest`); hand-written fields stay. */
export function applyMeasured(entry: DatasetEntry, measured: Measured): void {
  for (const name of ['train', 'test'] as const) {
    const s = entry.splits[name];
    const m = measured[name];
    s.n = m.n;
    s.classCounts = m.classCounts;
    Object.assign(s.x, m.x);
    Object.assign(s.y, m.y);
  }
  if (entry.tokenizer && measured.tokenizerSha256)
    entry.tokenizer.sha256 = measured.tokenizerSha256;
}

/** manifest.json's text: two-space JSON with short arrays of numbers or strings on one line. */
export function formatManifest(manifest: unknown): string {
  const text = JSON.stringify(manifest, null, 2);
  return `${text.replace(/\[\n\s*([^[\]{}]*?)\n\s*\]/g, (_, body: string) => `[${body.split(/,\n\s*/).join(', ')}]`)}\n`;
}
