import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDatasets, DEFAULT_DATASETS_ROOT } from '../../../scripts/datasets/build';
import { BUILTIN_DATASETS, loadBuiltinDataset, type DatasetLoadProgress } from './builtin';
import type { DatasetManifest } from './manifest';
import { createWordTokenizer } from './tokenizer';

const HASH = 'a'.repeat(64);

/** A two-class 2×2 image dataset (train 3 rows, test 2) and a 4-token text dataset, in memory. */
function fixture() {
  const trainX = Uint8Array.from([0, 1, 2, 3, 10, 11, 12, 13, 250, 251, 252, 255]);
  const trainY = Uint8Array.from([0, 1, 1]);
  const testX = Uint8Array.from([5, 6, 7, 8, 9, 9, 9, 9]);
  const testY = Uint8Array.from([1, 0]);
  const textTrain = Uint16Array.from([2, 3, 4, 0, 2, 4, 0, 0]);
  const textTest = Uint16Array.from([2, 1, 3, 3]);
  const manifest: DatasetManifest = {
    version: 1,
    datasets: [
      {
        name: 'tiny',
        title: 'Tiny',
        kind: 'image',
        source: 's',
        licence: 'l',
        url: 'u',
        split: 'fixed',
        inputShape: [2, 2, 1],
        classNames: ['a', 'b'],
        splits: {
          train: {
            n: 3,
            classCounts: [1, 2],
            x: { path: 'tiny/train-x.u8.gz', dtype: 'uint8', gzip: true, bytes: 12, sha256: HASH },
            y: { path: 'tiny/train-y.u8', dtype: 'uint8', gzip: false, bytes: 3, sha256: HASH },
          },
          test: {
            n: 2,
            classCounts: [1, 1],
            x: { path: 'tiny/test-x.u8.gz', dtype: 'uint8', gzip: true, bytes: 8, sha256: HASH },
            y: { path: 'tiny/test-y.u8', dtype: 'uint8', gzip: false, bytes: 2, sha256: HASH },
          },
        },
        generator: 'npx tsx scripts/datasets/build.ts',
      },
      {
        name: 'words',
        title: 'Words',
        kind: 'text',
        source: 's',
        licence: 'l',
        url: 'u',
        split: 'fixed',
        inputShape: [4],
        classNames: ['neg', 'pos'],
        splits: {
          train: {
            n: 2,
            classCounts: [1, 1],
            x: {
              path: 'words/train-x.u16.gz',
              dtype: 'uint16',
              gzip: true,
              bytes: 16,
              sha256: HASH,
            },
            y: { path: 'words/train-y.u8', dtype: 'uint8', gzip: false, bytes: 2, sha256: HASH },
          },
          test: {
            n: 1,
            classCounts: [0, 1],
            x: { path: 'words/test-x.u16.gz', dtype: 'uint16', gzip: true, bytes: 8, sha256: HASH },
            y: { path: 'words/test-y.u8', dtype: 'uint8', gzip: false, bytes: 1, sha256: HASH },
          },
        },
        tokenizer: { path: 'words/tokenizer.json', sha256: HASH },
      },
    ],
  };
  const u16 = (a: Uint16Array) => new Uint8Array(a.buffer);
  const tokenizer = {
    format: 'strata-word-level',
    version: 1,
    lowercase: true,
    stripHtmlBreaks: true,
    pattern: '\\S+',
    seqLen: 4,
    vocab: ['[PAD]', '[UNK]', '[CLS]', 'good', 'bad'],
  };
  const files = new Map<string, Uint8Array>([
    ['tiny/train-x.u8.gz', gzipSync(trainX)],
    ['tiny/train-y.u8', trainY],
    ['tiny/test-x.u8.gz', gzipSync(testX)],
    ['tiny/test-y.u8', testY],
    ['words/train-x.u16.gz', gzipSync(u16(textTrain))],
    ['words/train-y.u8', Uint8Array.from([0, 1])],
    ['words/test-x.u16.gz', gzipSync(u16(textTest))],
    ['words/test-y.u8', Uint8Array.from([1])],
    ['words/tokenizer.json', new TextEncoder().encode(JSON.stringify(tokenizer))],
  ]);
  const setManifest = (m: DatasetManifest) =>
    files.set('manifest.json', new TextEncoder().encode(JSON.stringify(m)));
  setManifest(manifest);
  const reader = async (path: string): Promise<Uint8Array> => {
    const bytes = files.get(path);
    if (!bytes) throw new Error(`ENOENT: no such file, open '${path}'`);
    return bytes;
  };
  return {
    manifest,
    files,
    setManifest,
    reader,
    trainX,
    trainY,
    testX,
    testY,
    textTrain,
    textTest,
  };
}

describe('loadBuiltinDataset on a fixture', () => {
  it('returns the stored rows, labels and metadata, reporting progress per file', async () => {
    const f = fixture();
    const progress: DatasetLoadProgress[] = [];
    const d = await loadBuiltinDataset('tiny', f.reader, (p) => progress.push(p));
    expect(d).toMatchObject({
      name: 'tiny',
      title: 'Tiny',
      kind: 'image',
      classNames: ['a', 'b'],
      inputShape: [2, 2, 1],
    });
    expect(d.train.n).toBe(3);
    expect(Array.from(d.train.x)).toEqual(Array.from(f.trainX));
    expect(Array.from(d.train.y)).toEqual(Array.from(f.trainY));
    expect(Array.from(d.test.x)).toEqual(Array.from(f.testX));
    expect(d.tokenizer).toBeUndefined();
    expect(progress.map((p) => p.done)).toEqual([1, 2, 3, 4]);
    expect(progress.every((p) => p.total === 4)).toBe(true);
    expect(progress.map((p) => p.file).sort()).toEqual([
      'tiny/test-x.u8.gz',
      'tiny/test-y.u8',
      'tiny/train-x.u8.gz',
      'tiny/train-y.u8',
    ]);
  });

  it('decodes uint16 token rows and the tokenizer of a text dataset', async () => {
    const f = fixture();
    const d = await loadBuiltinDataset('words', f.reader);
    expect(d.train.x).toBeInstanceOf(Uint16Array);
    expect(Array.from(d.train.x)).toEqual(Array.from(f.textTrain));
    expect(Array.from(d.test.x)).toEqual(Array.from(f.textTest));
    expect(d.tokenizer?.vocab).toEqual(['[PAD]', '[UNK]', '[CLS]', 'good', 'bad']);
  });

  it('accepts files a server already decompressed (Content-Encoding: gzip)', async () => {
    const f = fixture();
    f.files.set('tiny/train-x.u8.gz', f.trainX);
    const d = await loadBuiltinDataset('tiny', f.reader);
    expect(Array.from(d.train.x)).toEqual(Array.from(f.trainX));
  });

  it('names a truncated file', async () => {
    const f = fixture();
    const gz = f.files.get('tiny/test-x.u8.gz')!;
    f.files.set('tiny/test-x.u8.gz', gz.subarray(0, gz.length - 6));
    await expect(loadBuiltinDataset('tiny', f.reader)).rejects.toThrow(
      /tiny\/test-x.u8.gz: could not decompress \(.+\): the file is truncated or damaged/,
    );
  });

  it('names the file whose size disagrees with the manifest, and what was expected', async () => {
    const f = fixture();
    // The manifest claims 4 training rows; the files hold 3.
    const m = structuredClone(f.manifest);
    Object.assign(m.datasets[0].splits.train, { n: 4, classCounts: [2, 2] });
    Object.assign(m.datasets[0].splits.train.x, { bytes: 16 });
    Object.assign(m.datasets[0].splits.train.y, { bytes: 4 });
    f.setManifest(m);
    await expect(loadBuiltinDataset('tiny', f.reader)).rejects.toThrow(
      'tiny/train-x.u8.gz: 12 bytes of uint8 data after decompression, expected 16 as manifest.json says',
    );
    f.files.set('tiny/train-x.u8.gz', gzipSync(new Uint8Array(20)));
    await expect(loadBuiltinDataset('tiny', f.reader)).rejects.toThrow(
      /tiny\/train-x.u8.gz: more than 16 bytes/,
    );
    f.files.set('tiny/train-x.u8.gz', gzipSync(new Uint8Array(16)));
    await expect(loadBuiltinDataset('tiny', f.reader)).rejects.toThrow(
      'tiny/train-y.u8: 3 bytes of uint8 data, expected 4 as manifest.json says',
    );
  });

  it('rejects a manifest whose sizes contradict its own counts', async () => {
    const f = fixture();
    const m = structuredClone(f.manifest);
    m.datasets[0].splits.test.x.bytes = 9;
    f.setManifest(m);
    await expect(loadBuiltinDataset('tiny', f.reader)).rejects.toThrow(
      /manifest.json: datasets\[0\] \(tiny\).splits.test.x.bytes is 9, expected 8 \(n × 4 values × 1 bytes\)/,
    );
  });

  it('rejects labels outside the classes and token ids outside the vocabulary', async () => {
    const f = fixture();
    f.files.set('tiny/test-y.u8', Uint8Array.from([1, 7]));
    await expect(loadBuiltinDataset('tiny', f.reader)).rejects.toThrow(
      'tiny/test-y.u8: label 7 at row 1, expected a class index below 2',
    );
    f.files.set(
      'words/test-x.u16.gz',
      gzipSync(new Uint8Array(Uint16Array.from([2, 3, 5, 0]).buffer)),
    );
    await expect(loadBuiltinDataset('words', f.reader)).rejects.toThrow(
      /words\/test-x.u16.gz: token id 5 at row 0, position 2, is outside the vocabulary of 5/,
    );
  });

  it('names unknown datasets and missing files, with the generator command when there is one', async () => {
    const f = fixture();
    await expect(loadBuiltinDataset('cifar', f.reader)).rejects.toThrow(
      'unknown built-in dataset "cifar": manifest.json lists tiny, words',
    );
    f.files.delete('tiny/train-y.u8');
    await expect(loadBuiltinDataset('tiny', f.reader)).rejects.toThrow(
      /could not read tiny\/train-y.u8: ENOENT.*\(files of "tiny" are generated: run `npx tsx scripts\/datasets\/build.ts`\)/,
    );
    // Vite's dev server answers a missing file with its index.html and status 200.
    f.files.set('tiny/train-y.u8', new TextEncoder().encode('<!DOCTYPE html>\n<html lang="en">'));
    await expect(loadBuiltinDataset('tiny', f.reader)).rejects.toThrow(
      /tiny\/train-y.u8: the server answered with an HTML page, not the file: is it missing\? \(files of "tiny" are generated/,
    );
    f.files.set('manifest.json', new TextEncoder().encode('{"version": 1,'));
    await expect(loadBuiltinDataset('tiny', f.reader)).rejects.toThrow(
      /manifest.json: not valid JSON/,
    );
  });
});

describe('the built-in datasets', () => {
  const reader = (path: string) => readFile(join(DEFAULT_DATASETS_ROOT, path));
  beforeAll(async () => {
    await buildDatasets();
  }, 120_000);

  const counts = (y: ArrayLike<number>, k: number) => {
    const c = new Array<number>(k).fill(0);
    for (let i = 0; i < y.length; i++) c[y[i]]++;
    return c;
  };

  it('MNIST: the official 60k/10k split and class counts', async () => {
    const d = await loadBuiltinDataset('mnist', reader);
    expect(d.inputShape).toEqual([28, 28, 1]);
    expect([d.train.n, d.test.n]).toEqual([60000, 10000]);
    // LeCun et al.'s published counts per digit.
    expect(counts(d.test.y, 10)).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    expect(counts(d.train.y, 10)).toEqual([
      5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949,
    ]);
    expect(Array.from(d.test.y.subarray(0, 10))).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
    expect(Array.from(d.train.y.subarray(0, 10))).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
  });

  it('Fashion-MNIST: 6,000 / 1,000 per class and the published class names', async () => {
    const d = await loadBuiltinDataset('fashion-mnist', reader);
    expect(counts(d.train.y, 10)).toEqual(new Array(10).fill(6000));
    expect(counts(d.test.y, 10)).toEqual(new Array(10).fill(1000));
    expect(d.classNames).toEqual([
      'T-shirt/top',
      'Trouser',
      'Pullover',
      'Dress',
      'Coat',
      'Sandal',
      'Shirt',
      'Sneaker',
      'Bag',
      'Ankle boot',
    ]);
    // The first test images of Zalando's t10k files: ankle boot, pullover, trouser, trouser, shirt.
    expect(Array.from(d.test.y.subarray(0, 5))).toEqual([9, 2, 1, 1, 6]);
  });

  it('IMDB: balanced train split, [CLS]-led rows, a vocabulary of 8,000', async () => {
    const d = await loadBuiltinDataset('imdb', reader);
    expect(d.kind).toBe('text');
    expect(d.classNames).toEqual(['negative', 'positive']);
    expect(counts(d.train.y, 2)).toEqual([12500, 12500]);
    expect(d.train.n + d.test.n).toBe(50000 - 418);
    expect(d.tokenizer?.vocab).toHaveLength(8000);
    expect(d.tokenizer?.seqLen).toBe(128);
    for (const split of [d.train, d.test]) {
      for (let r = 0; r < split.n; r += 997) expect(split.x[r * 128]).toBe(2);
    }
    const t = createWordTokenizer(d.tokenizer!);
    expect(t.decode(t.encode('this movie was great'))).toBe('this movie was great');
  });

  it('the manifest lists exactly the built-in names', async () => {
    const m = JSON.parse(
      new TextDecoder().decode(await reader('manifest.json')),
    ) as DatasetManifest;
    expect(m.datasets.map((d) => d.name)).toEqual([...BUILTIN_DATASETS]);
  });
});
