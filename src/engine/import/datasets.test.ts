import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  classNamesOf,
  datasetFromRows,
  parseIdxPair,
  parsePixelCsv,
  parseTextJsonl,
  splitRows,
  type ImageRows,
} from './datasets';

const bytes = (text: string) => new TextEncoder().encode(text);

/** An unsigned-byte IDX file of `dims` holding `data` (LeCun's layout). */
function idx(dims: number[], data: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  out.set([0, 0, 0x08, dims.length]);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

describe('parseTextJsonl', () => {
  it('reads text and label (string or integer), skipping blank lines and other fields', () => {
    const text =
      '{"text": "great film", "label": "pos", "id": 1}\n\n{"text": "dull", "label": 0}\r\n';
    expect(parseTextJsonl(bytes(text), 'r.jsonl')).toEqual({
      kind: 'text',
      source: 'r.jsonl',
      n: 2,
      texts: ['great film', 'dull'],
      labels: ['pos', '0'],
    });
    const custom = parseTextJsonl(bytes('{"review": "ok", "stars": 3}'), 'r.jsonl', {
      textField: 'review',
      labelField: 'stars',
    });
    expect(custom.labels).toEqual(['3']);
  });

  it.each([
    [
      'broken JSON',
      '{"text": "a", "label": 1}\n{"text": "b", "label": 1\n',
      /^line 2 of r\.jsonl: not valid JSON/,
    ],
    [
      'an array',
      '[1, 2]\n',
      'line 1 of r.jsonl: expected a JSON object {"text": ..., "label": ...}',
    ],
    ['a missing label', '{"text": "a"}\n', 'line 1 of r.jsonl: "label" is missing'],
    [
      'a fractional label',
      '{"text": "a", "label": 1.5}\n',
      'line 1 of r.jsonl: "label" is 1.5, expected a non-empty string or an integer',
    ],
    [
      'a numeric text',
      '{"text": 5, "label": 1}\n',
      'line 1 of r.jsonl: "text" is 5, expected a string',
    ],
    ['no records', '\n\n', 'r.jsonl: no records (the file is empty)'],
  ])('%s', (_, text, message) => {
    expect(() => parseTextJsonl(bytes(text), 'r.jsonl')).toThrow(message);
  });

  it('bad UTF-8 is named by its line', () => {
    const file = new Uint8Array([
      ...bytes('{"text": "a", "label": 1}\n{"text": "'),
      0xff,
      ...bytes('", "label": 1}\n'),
    ]);
    expect(() => parseTextJsonl(file, 'r.jsonl')).toThrow('line 2 of r.jsonl: not valid UTF-8');
  });
});

describe('parseIdxPair', () => {
  const pixels = Uint8Array.from({ length: 3 * 2 * 2 }, (_, i) => i * 20);

  it('reads raw and gzipped images with their labels', () => {
    for (const pack of [(b: Uint8Array) => b, (b: Uint8Array) => gzipSync(b)]) {
      const rows = parseIdxPair(
        { name: 'x-idx3-ubyte', bytes: pack(idx([3, 2, 2], pixels)) },
        { name: 'y-idx1-ubyte', bytes: pack(idx([3], [7, 0, 7])) },
      );
      expect(rows).toMatchObject({ n: 3, inputShape: [2, 2, 1], labels: ['7', '0', '7'] });
      expect(rows.x).toEqual(pixels);
    }
  });

  it.each([
    [idx([3, 2, 2], pixels), idx([2], [1, 2]), 'y: 2 labels, but x holds 3 images'],
    [
      idx([12], pixels),
      idx([3], [1, 2, 3]),
      'x: IDX dimensions [12], expected images [N, H, W] or [N, H, W, C]',
    ],
    [
      idx([3, 2, 2], pixels),
      idx([3, 1], [1, 2, 3]),
      'y: IDX dimensions [3, 1], expected labels [N]',
    ],
    [
      idx([3, 2, 2], pixels).subarray(0, 20),
      idx([3], [1, 2, 3]),
      'x: 4 data bytes, expected 12 (3 × 2 × 2): the file is truncated',
    ],
    [
      gzipSync(idx([3, 2, 2], pixels)).subarray(0, 15),
      idx([3], [1, 2, 3]),
      /^x: could not decompress/,
    ],
  ])('%#: %s', (images, labels, message) => {
    expect(() => parseIdxPair({ name: 'x', bytes: images }, { name: 'y', bytes: labels })).toThrow(
      message,
    );
  });
});

describe('datasetFromRows', () => {
  const csv = (text: string, name: string) => parsePixelCsv(bytes(text), name);

  it('numbers classes over both splits, integers in numeric order', () => {
    expect(classNamesOf(['10', '9', '2', '9'])).toEqual(['2', '9', '10']);
    expect(classNamesOf(['dog', 'cat', 'Cat'])).toEqual(['Cat', 'cat', 'dog']);
    const train = csv('10,0,0,0,0\n9,1,1,1,1\n', 'train.csv');
    const test = csv('2,5,5,5,5\n', 'test.csv');
    const dataset = datasetFromRows(train, test, { name: 'mine' });
    expect(dataset).toMatchObject({
      kind: 'image',
      classNames: ['2', '9', '10'],
      inputShape: [2, 2, 1],
    });
    expect(Array.from(dataset.train.y)).toEqual([2, 1]);
    expect(Array.from(dataset.test.y)).toEqual([0]);
    expect(Array.from(dataset.test.x)).toEqual([5, 5, 5, 5]);
  });

  it('builds a word tokenizer from the train texts and encodes both splits', () => {
    const train = parseTextJsonl(
      bytes('{"text":"good good film","label":"pos"}\n{"text":"bad","label":"neg"}'),
      'a',
    );
    const test = parseTextJsonl(bytes('{"text":"good unknown","label":"pos"}'), 'b');
    const dataset = datasetFromRows(train, test, { name: 't', vocabSize: 10, seqLen: 4 });
    expect(dataset.inputShape).toEqual([4]);
    expect(dataset.tokenizer!.vocab.slice(0, 6)).toEqual([
      '[PAD]',
      '[UNK]',
      '[CLS]',
      'good',
      'bad',
      'film',
    ]);
    expect(Array.from(dataset.train.x)).toEqual([2, 3, 3, 5, 2, 4, 0, 0]);
    expect(Array.from(dataset.test.x)).toEqual([2, 3, 1, 0]);
    expect(Array.from(dataset.train.y)).toEqual([1, 0]);
  });

  it('refuses one class only, differing image shapes and mixed kinds', () => {
    const one = csv('3,0,0,0,0\n3,1,1,1,1\n', 'train.csv');
    expect(() => datasetFromRows(one, one, { name: 'x' })).toThrow(
      'train.csv: every row has the label "3"; a classifier needs at least 2 classes',
    );
    const small = csv('1,0,0,0,0\n2,0,0,0,0\n', 'train.csv');
    const big = csv('1,0,0,0,0,0,0,0,0,0\n', 'test.csv');
    expect(() => datasetFromRows(small, big, { name: 'x' })).toThrow(
      'test.csv: images of shape [3, 3, 1], but train.csv holds [2, 2, 1]',
    );
    const text = parseTextJsonl(bytes('{"text":"a","label":1}'), 'b.jsonl');
    expect(() => datasetFromRows(small, text, { name: 'x' })).toThrow(
      'b.jsonl: holds text rows, but train.csv holds image',
    );
  });

  it('splits one file into train and test, seeded, every row in exactly one split', () => {
    const n = 10;
    const lines = Array.from({ length: n }, (_, i) => `${i % 2},${i},${i},${i},${i}`).join('\n');
    const rows = csv(lines, 'all.csv');
    const { train, test } = splitRows(rows, 0.3, 'seed');
    expect([train.n, test.n]).toEqual([7, 3]);
    const firstPixels = (r: ImageRows) => Array.from({ length: r.n }, (_, i) => r.x[i * 4]);
    expect([...firstPixels(train), ...firstPixels(test)].sort((a, b) => a - b)).toEqual(
      Array.from({ length: n }, (_, i) => i),
    );
    for (const r of [train, test]) {
      firstPixels(r).forEach((p, i) => expect(r.labels[i]).toBe(String(p % 2)));
    }
    expect(splitRows(rows, 0.3, 'seed')).toEqual({ train, test });
    expect(() => splitRows(rows, 1)).toThrow(
      'splitRows: test fraction 1, expected a number in (0, 1)',
    );
  });
});
