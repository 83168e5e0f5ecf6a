// Property tests over the dataset readers: seeded valid CSV / TSV / JSONL / IDX files with
// awkward but legal contents read back exactly, and damaged copies (Parquet too) either read into
// well-formed rows or throw Strata's error naming the file — never another error, never a hang.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, zipSync, type Zippable } from 'fflate';
import { describe, expect, it } from 'vitest';
import { expectResultOrNamedError, int, mutate, pick, rngOf, type Rng } from '../io/fuzzFiles';
import type { ImageDecoder } from './imageFolder';
import { readImageSize } from './imageSize';
import type { LabelledRows } from './labelledRows';
import { readDatasetRows, type DatasetFormat } from './readDatasetRows';
import { createTextCsvParser } from './textCsv';

const enc = (text: string) => new TextEncoder().encode(text);
const WORDS = [
  'good',
  'bad',
  'a, b',
  'say "hi"',
  'two\nlines',
  'crlf\r\ninside',
  'é ü 字',
  ' pad ',
  '',
];
const LABELS = ['pos', 'neg', '1', '0', 'x y'];

/** A text CSV/TSV: quoted commas, quoted newlines, doubled quotes, BOM, empty lines, mixed line ends. */
function makeTextCsv(rng: Rng, delimiter: string) {
  const rows = Array.from({ length: int(rng, 1, 6) }, () => ({
    text: Array.from({ length: int(rng, 1, 3) }, () => pick(rng, WORDS)).join(' '),
    label: pick(rng, LABELS),
  }));
  const withId = rng() < 0.4;
  const quote = (f: string) =>
    rng() < 0.3 || /[",\t\r\n]/.test(f) || f !== f.trim() ? `"${f.replace(/"/g, '""')}"` : f;
  const end = () => pick(rng, ['\n', '\r\n']);
  const lines = [[...(withId ? ['id'] : []), 'text', 'label'].map(quote).join(delimiter)];
  rows.forEach((r, i) => {
    if (rng() < 0.2) lines.push(''); // an empty line
    lines.push([...(withId ? [String(i)] : []), r.text, r.label].map(quote).join(delimiter));
  });
  let text = lines.map((l) => l + end()).join('');
  if (rng() < 0.3) text = text.replace(/\r?\n$/, ''); // no final newline
  const bytes = enc(text);
  const bom = rng() < 0.3;
  return {
    bytes: bom ? Uint8Array.from([0xef, 0xbb, 0xbf, ...bytes]) : bytes,
    texts: rows.map((r) => r.text.replace(/\r\n/g, '\n')),
    labels: rows.map((r) => r.label.trim()),
  };
}

/** A label,pixel… CSV of 2×2 grey images. */
function makePixelCsv(rng: Rng) {
  const n = int(rng, 1, 5);
  const x = Array.from({ length: n * 4 }, () => int(rng, 0, 255));
  const labels = Array.from({ length: n }, () => pick(rng, ['0', '1', '7']));
  const end = () => pick(rng, ['\n', '\r\n']);
  const lines = ['label,pixel0,pixel1,pixel2,pixel3'];
  for (let i = 0; i < n; i++)
    lines.push(
      [rng() < 0.3 ? `"${labels[i]}"` : labels[i], ...x.slice(4 * i, 4 * i + 4)].join(','),
    );
  return { bytes: enc(lines.map((l) => l + end()).join('')), x, labels };
}

function makeJsonl(rng: Rng) {
  const rows = Array.from({ length: int(rng, 1, 5) }, () => ({
    text: pick(rng, WORDS) + pick(rng, WORDS),
    label: rng() < 0.5 ? int(rng, 0, 3) : pick(rng, LABELS),
  }));
  const lines = rows.map((r) => JSON.stringify(rng() < 0.3 ? { id: 1, ...r, extra: [1] } : r));
  const text = lines.map((l) => l + pick(rng, ['\n', '\r\n', '\n\n'])).join('');
  return {
    bytes: enc(text),
    texts: rows.map((r) => r.text),
    labels: rows.map((r) => String(r.label)),
  };
}

function idx(dims: number[], data: number[]): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  out.set([0, 0, 8, dims.length]);
  dims.forEach((d, i) => new DataView(out.buffer).setUint32(4 + 4 * i, d));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

/** Rows are well-formed: one label per sample, non-empty, images of the stated shape. */
function wellFormedRows({ rows }: { rows: LabelledRows }) {
  expect(rows.labels).toHaveLength(rows.n);
  expect(rows.labels.every((l) => typeof l === 'string' && l !== '')).toBe(true);
  if (rows.kind === 'text') expect(rows.texts).toHaveLength(rows.n);
  else expect(rows.x.length).toBe(rows.n * rows.inputShape.reduce((a, b) => a * b, 1));
}

const read = (format: DatasetFormat, files: { path: string; bytes: Uint8Array }[]) => () =>
  readDatasetRows({
    format,
    files: files.map((f) => ({ path: f.path, file: new Blob([f.bytes as BlobPart]) })),
  });

describe('text CSV and TSV', () => {
  it('read 300 valid files exactly, whatever the chunking', () => {
    const rng = rngOf('csv-valid');
    for (let i = 0; i < 300; i++) {
      const tsv = rng() < 0.4;
      const made = makeTextCsv(rng, tsv ? '\t' : ',');
      const parser = createTextCsvParser(tsv ? 'r.tsv' : 'r.csv');
      for (let at = 0; at < made.bytes.length;) {
        const size = int(rng, 1, 12);
        parser.push(made.bytes.subarray(at, at + size));
        at += size;
      }
      const rows = parser.finish();
      expect({ texts: rows.texts, labels: rows.labels }).toEqual({
        texts: made.texts,
        labels: made.labels,
      });
    }
  });

  it('read or refuse by name 1500 damaged files', async () => {
    const rng = rngOf('csv-damaged');
    for (let i = 0; i < 1500; i++) {
      const tsv = rng() < 0.4;
      const path = `bad${i}.${tsv ? 'tsv' : 'csv'}`;
      const bytes = mutate(rng, mutate(rng, makeTextCsv(rng, tsv ? '\t' : ',').bytes));
      await expectResultOrNamedError(
        read(tsv ? 'tsv' : 'csv', [{ path, bytes }]),
        path,
        wellFormedRows,
      );
    }
  });
});

describe('pixel CSV, JSONL and IDX', () => {
  it('read valid files exactly', async () => {
    const rng = rngOf('rows-valid');
    for (let i = 0; i < 100; i++) {
      const pixels = makePixelCsv(rng);
      const { rows } = await read('csv', [{ path: 'p.csv', bytes: pixels.bytes }])();
      expect(rows.kind === 'image' && [...rows.x]).toEqual(pixels.x);
      expect(rows.labels).toEqual(pixels.labels);
      const jsonl = makeJsonl(rng);
      const text = await read('jsonl', [{ path: 't.jsonl', bytes: jsonl.bytes }])();
      expect(text.rows.kind === 'text' && text.rows.texts).toEqual(jsonl.texts);
      expect(text.rows.labels).toEqual(jsonl.labels);
    }
  });

  it('read or refuse by name 1000 damaged files of each', async () => {
    const rng = rngOf('rows-damaged');
    for (let i = 0; i < 1000; i++) {
      const csv = mutate(rng, makePixelCsv(rng).bytes);
      await expectResultOrNamedError(
        read('csv', [{ path: `p${i}.csv`, bytes: csv }]),
        `p${i}.csv`,
        wellFormedRows,
      );
      const jsonl = mutate(rng, makeJsonl(rng).bytes);
      await expectResultOrNamedError(
        read('jsonl', [{ path: `t${i}.jsonl`, bytes: jsonl }]),
        `t${i}.jsonl`,
        wellFormedRows,
      );
      const n = int(rng, 0, 3);
      let images = idx(
        [n, 2, 2],
        Array.from({ length: n * 4 }, () => int(rng, 0, 255)),
      );
      let labels = idx(
        [n],
        Array.from({ length: n }, () => int(rng, 0, 9)),
      );
      if (rng() < 0.3) [images, labels] = [gzipSync(images), gzipSync(labels)];
      const damaged =
        rng() < 0.5
          ? { images: mutate(rng, images), labels }
          : { images, labels: mutate(rng, labels) };
      const files = [
        { path: `d${i}/images-idx3-ubyte`, bytes: damaged.images },
        { path: `d${i}/labels-idx1-ubyte`, bytes: damaged.labels },
      ];
      await expectResultOrNamedError(read('idx', files), `d${i}/`, wellFormedRows);
    }
  });
});

/** Decodes like a browser: bytes without a PNG header fail, others give a blank 4×4 image. */
const decodeImage: ImageDecoder = async (bytes, _name, [h, w, c]) => {
  if (!readImageSize(bytes)) throw new Error('The source image could not be decoded.');
  return { pixels: new Uint8Array(h * w * c), width: 4, height: 4, colour: false };
};

/** The first 33 bytes of a PNG of `w`×`h`: enough for the header check and the fake decoder. */
function pngHead(w: number, h: number): Uint8Array {
  const b = Uint8Array.from([
    0x89,
    0x50,
    0x4e,
    0x47,
    0x0d,
    0x0a,
    0x1a,
    0x0a,
    0,
    0,
    0,
    13,
    0x49,
    0x48,
    0x44,
    0x52,
    ...new Array<number>(17).fill(0),
  ]);
  new DataView(b.buffer).setUint32(16, w);
  new DataView(b.buffer).setUint32(20, h);
  return b;
}

describe('zipped image folders', () => {
  it('read or refuse by name 800 damaged archives', async () => {
    const rng = rngOf('zip-damaged');
    for (let i = 0; i < 800; i++) {
      const files: Zippable = {};
      for (const label of ['cat', 'dog', 'x y'].slice(0, int(rng, 1, 3)))
        for (let k = 0; k < int(rng, 1, 3); k++)
          files[`${pick(rng, ['', 'top/'])}${label}/${k}.png`] = [
            pngHead(int(rng, 1, 9000), int(rng, 1, 9000)),
            { level: pick(rng, [0, 6]) as 0 | 6 },
          ];
      const path = `imgs${i}.zip`;
      const bytes = mutate(rng, zipSync(files));
      await expectResultOrNamedError(
        () =>
          readDatasetRows({
            format: 'zip',
            files: [{ path, file: new Blob([bytes as BlobPart]) }],
            decodeImage,
            imageShape: [2, 2, 1],
          }),
        path,
        wellFormedRows,
      );
    }
  });
});

describe('Parquet', () => {
  it('reads or refuses by name 600 damaged copies of a good file', async () => {
    const good = new Uint8Array(
      readFileSync(join(__dirname, '../../../e2e/fixtures/reviews.parquet')),
    );
    const rng = rngOf('parquet-damaged');
    for (let i = 0; i < 600; i++) {
      const bytes = mutate(rng, good);
      const path = `r${i}.parquet`;
      await expectResultOrNamedError(read('parquet', [{ path, bytes }]), path, wellFormedRows);
    }
  });
});
