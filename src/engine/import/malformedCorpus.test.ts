// Every file of the malformed corpus (e2e/fixtures/malformed, made by make.ts there) is refused
// with a message naming the file, the place and what was expected; the page spec drops the same
// files and expects the same messages.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ImageDecoder } from './imageFolder';
import { readDatasetRows, type DatasetFormat } from './readDatasetRows';
import { UserDatasets } from '../session/userDatasets';

const root = join(__dirname, '../../../e2e/fixtures/malformed');

function filesOf(name: string): string[] {
  const path = join(root, name);
  if (!statSync(path).isDirectory()) return [name];
  return readdirSync(path).flatMap((n) => filesOf(`${name}/${n}`));
}

/** Stands in for createImageBitmap: the corpus's broken PNG fails as Chromium's does. */
const decode: ImageDecoder = async (bytes, _name, [h, w, c]) => {
  if (new TextDecoder().decode(bytes).includes('not really'))
    throw new Error('The source image could not be decoded.');
  return { pixels: new Uint8Array(h * w * c), width: 4, height: 4, colour: false };
};

const CASES: [string, DatasetFormat, string | RegExp][] = [
  ['idx-truncated', 'idx', /idx-truncated\/images-idx3-ubyte: .*12/],
  ['idx-wrong-magic', 'idx', 'idx-wrong-magic/images-idx3-ubyte: not an IDX file'],
  [
    'idx-count-mismatch',
    'idx',
    'idx-count-mismatch/labels-idx1-ubyte: 2 labels, but idx-count-mismatch/images-idx3-ubyte holds 3 images',
  ],
  ['bad-utf8.jsonl', 'jsonl', 'line 2 of bad-utf8.jsonl: not valid UTF-8'],
  ['bad-utf8.csv', 'csv', /^row 3 of bad-utf8\.csv: not valid UTF-8/],
  [
    'nan-pixels.csv',
    'csv',
    'row 3 of nan-pixels.csv: column 3 (pixel1): unexpected "N", expected an integer pixel value 0–255',
  ],
  [
    'out-of-range-pixels.csv',
    'csv',
    'row 3 of out-of-range-pixels.csv: column 4 (pixel2): a pixel value above 255, expected 0–255',
  ],
  ['stray-files.zip', 'zip', 'stray-files.zip: shapes/notes.txt is not an image (stray file)'],
  ['no-class-folders.zip', 'zip', 'no-class-folders.zip: a.png is not inside a class folder'],
  ['empty.csv', 'csv', 'empty.csv: the file is empty (0 bytes)'],
  ['ragged.csv', 'csv', 'row 3 of ragged.csv: 3 fields, expected 2 (as in the header)'],
  ['corrupt-png', 'images', 'corrupt-png/square/d.png could not be decoded'],
  [
    'no-label.parquet',
    'parquet',
    'no-label.parquet: no label column; the columns are "text", "stars"',
  ],
];

describe('the malformed corpus', () => {
  it.each(CASES)('%s is refused with its message', async (name, format, message) => {
    const files = filesOf(name).map((path) => ({
      path,
      file: new Blob([readFileSync(join(root, path))]),
    }));
    await expect(readDatasetRows({ format, files, decodeImage: decode })).rejects.toThrow(message);
  });

  it('one-class.jsonl parses, and staging refuses it (a classifier needs two classes)', async () => {
    const file = new Blob([readFileSync(join(root, 'one-class.jsonl'))]);
    const result = await readDatasetRows({
      format: 'jsonl',
      files: [{ path: 'one-class.jsonl', file }],
    });
    expect(() => new UserDatasets().stage(result, 'one', 'one-class.jsonl')).toThrow(
      'one-class.jsonl: every row has the label "pos"; a classifier needs at least 2 classes',
    );
  });

  it('a good Parquet file of text and integer labels is read (e2e/fixtures/reviews.parquet)', async () => {
    const file = new Blob([readFileSync(join(root, '../reviews.parquet'))]);
    const { rows } = await readDatasetRows({
      format: 'parquet',
      files: [{ path: 'reviews.parquet', file }],
    });
    expect(rows).toEqual({
      kind: 'text',
      source: 'reviews.parquet',
      n: 4,
      texts: ['a fine film', 'a dull film', 'great', 'awful'],
      labels: ['1', '0', '1', '0'],
    });
  });
});
