import type { DatasetKind } from './types';

/**
 * `public/datasets/manifest.json`: what each built-in dataset is, where it comes from, and the
 * exact files that hold it. Paths are relative to the manifest's folder.
 */
export interface DatasetManifest {
  version: 1;
  datasets: DatasetEntry[];
}

export interface DatasetEntry {
  name: string;
  title: string;
  kind: DatasetKind;
  /** Where the data in these files was taken from (package, version). */
  source: string;
  licence: string;
  /** The origin of the data (its authors' page). */
  url: string;
  /** How the train/test split was made. */
  split: string;
  /** Shape of one row: [H, W, C] for images, [T] for text. */
  inputShape: number[];
  classNames: string[];
  splits: { train: SplitEntry; test: SplitEntry };
  /** Text datasets: the tokenizer's `tokenizer.json`. */
  tokenizer?: { path: string; sha256: string };
  /** For files produced at build time rather than committed: the command that writes them. */
  generator?: string;
}

export interface SplitEntry {
  n: number;
  /** Rows per class, in class order. */
  classCounts: number[];
  x: DatasetFile;
  y: DatasetFile;
}

export type DatasetDtype = 'uint8' | 'uint16';

export interface DatasetFile {
  path: string;
  /** uint16 values are little-endian. */
  dtype: DatasetDtype;
  /** Whether the file is gzip-compressed (decompressed with fflate). */
  gzip: boolean;
  /** Length of the raw (decompressed) data in bytes. */
  bytes: number;
  /** SHA-256 (hex) of the raw (decompressed) data: the dataset's version. */
  sha256: string;
}

export const BYTES_PER_ELEMENT: Record<DatasetDtype, number> = { uint8: 1, uint16: 2 };

type Check = (ok: boolean, where: string, expected: string, value: unknown) => void;
type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v !== '';
const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0;
const isSha256 = (v: unknown): boolean => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);

/** Parses and validates manifest.json's text; errors name the field and what was expected. */
export function parseDatasetManifest(text: string, source = 'manifest.json'): DatasetManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${source}: not valid JSON (${(e as Error).message})`);
  }
  const check: Check = (ok, where, expected, value) => {
    if (!ok)
      throw new Error(`${source}: ${where} is ${JSON.stringify(value)}, expected ${expected}`);
  };
  check(isObject(json), 'the top level', 'an object', typeof json);
  const m = json as Json;
  check(m.version === 1, 'version', '1', m.version);
  check(Array.isArray(m.datasets), 'datasets', 'an array', m.datasets);
  const names = new Set<string>();
  (m.datasets as unknown[]).forEach((d, i) => {
    check(isObject(d), `datasets[${i}]`, 'an object', d);
    const name = (d as Json).name;
    check(
      isText(name) && !names.has(name),
      `datasets[${i}].name`,
      'a unique non-empty string',
      name,
    );
    names.add(name as string);
    checkEntry(d as Json, `datasets[${i}] (${name as string})`, check);
  });
  return json as DatasetManifest;
}

function checkEntry(e: Json, at: string, check: Check): void {
  for (const key of ['title', 'source', 'licence', 'url', 'split'] as const) {
    check(isText(e[key]), `${at}.${key}`, 'a non-empty string', e[key]);
  }
  const image = e.kind === 'image';
  check(image || e.kind === 'text', `${at}.kind`, '"image" or "text"', e.kind);
  const shape = e.inputShape;
  check(
    Array.isArray(shape) && shape.every(isCount) && shape.length === (image ? 3 : 1),
    `${at}.inputShape`,
    image ? '[H, W, C] of positive integers' : '[T] with T a positive integer',
    shape,
  );
  const classes = e.classNames;
  check(
    Array.isArray(classes) && classes.length >= 2 && classes.length <= 256 && classes.every(isText),
    `${at}.classNames`,
    '2 to 256 non-empty strings',
    classes,
  );
  check(isObject(e.splits), `${at}.splits`, 'an object with train and test', e.splits);
  const rowValues = (shape as number[]).reduce((a, b) => a * b, 1);
  for (const name of ['train', 'test'] as const) {
    const split = (e.splits as Json)[name];
    const where = `${at}.splits.${name}`;
    check(isObject(split), where, 'an object', split);
    checkSplit(split as Json, where, check, {
      folder: `${e.name as string}/`,
      classes: (classes as string[]).length,
      rowValues,
      xDtype: image ? 'uint8' : 'uint16',
    });
  }
  if (!image) {
    const t = e.tokenizer;
    check(
      isObject(t) && isText(t.path) && isSha256(t.sha256),
      `${at}.tokenizer`,
      '{ path, sha256 } for a text dataset',
      t,
    );
  }
  check(
    e.generator === undefined || isText(e.generator),
    `${at}.generator`,
    'a command or absent',
    e.generator,
  );
}

function checkSplit(
  s: Json,
  at: string,
  check: Check,
  expect: { folder: string; classes: number; rowValues: number; xDtype: DatasetDtype },
): void {
  check(isCount(s.n), `${at}.n`, 'a positive integer', s.n);
  const n = s.n as number;
  const counts = s.classCounts;
  check(
    Array.isArray(counts) &&
      counts.length === expect.classes &&
      counts.every((c) => Number.isInteger(c) && c >= 0) &&
      (counts as number[]).reduce((a, b) => a + b, 0) === n,
    `${at}.classCounts`,
    `${expect.classes} counts that sum to n = ${n}`,
    counts,
  );
  const files = [
    ['x', expect.rowValues, expect.xDtype],
    ['y', 1, 'uint8'],
  ] as const;
  for (const [key, values, dtype] of files) {
    const f = s[key];
    const where = `${at}.${key}`;
    check(isObject(f), where, 'a file entry', f);
    const file = f as Json;
    check(
      isText(file.path) && file.path.startsWith(expect.folder),
      `${where}.path`,
      `a path inside "${expect.folder}"`,
      file.path,
    );
    check(file.dtype === dtype, `${where}.dtype`, `"${dtype}"`, file.dtype);
    check(typeof file.gzip === 'boolean', `${where}.gzip`, 'true or false', file.gzip);
    const size = BYTES_PER_ELEMENT[dtype];
    check(
      file.bytes === n * values * size,
      `${where}.bytes`,
      `${n * values * size} (n × ${values} values × ${size} bytes)`,
      file.bytes,
    );
    check(isSha256(file.sha256), `${where}.sha256`, '64 lowercase hex digits', file.sha256);
  }
}
