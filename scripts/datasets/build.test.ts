import { readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildVocabulary } from '../../src/engine/data/tokenizer';
import { buildDatasets, DEFAULT_DATASETS_ROOT } from './build';
import { imdbInput, parseImdbReviews, splitImdb } from './imdb';

describe('build.ts in a scratch folder', () => {
  let root: string;
  let cacheDir: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'strata-datasets-'));
    cacheDir = join(root, '.cache');
    await cp(join(DEFAULT_DATASETS_ROOT, 'manifest.json'), join(root, 'manifest.json'));
    await cp(join(DEFAULT_DATASETS_ROOT, 'fashion-mnist'), join(root, 'fashion-mnist'), {
      recursive: true,
    });
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });
  const build = (names: string[], extra = {}) => buildDatasets({ root, cacheDir, names, ...extra });

  it('builds once, then skips until an output or the manifest changes', async () => {
    expect((await build(['mnist']))[0].action).toBe('built');
    expect((await build(['mnist']))[0].action).toBe('up to date');
    await rm(join(root, 'mnist/test-y.u8'));
    expect((await build(['mnist']))[0].action).toBe('built');
    expect((await build(['mnist'], { force: true }))[0].action).toBe('built');
    expect((await build(['mnist']))[0].action).toBe('up to date');
  }, 60_000);

  it('fails when the generated data differs from the manifest, and --update-manifest fixes it', async () => {
    const path = join(root, 'manifest.json');
    const good = await readFile(path, 'utf8');
    const m = JSON.parse(good);
    const truth = m.datasets[0].splits.test.y.sha256;
    m.datasets[0].splits.test.y.sha256 = 'f'.repeat(64);
    await writeFile(path, JSON.stringify(m));
    await expect(build(['mnist'])).rejects.toThrow(
      /mnist: the generated data differs from .*manifest.json:\n {2}mnist\/test-y.u8 sha256: manifest.json says "f{64}", the data has "[0-9a-f]{64}"\nIf the generator .*--update-manifest/,
    );
    await build(['mnist'], { updateManifest: true });
    const fixed = await readFile(path, 'utf8');
    expect(JSON.parse(fixed).datasets[0].splits.test.y.sha256).toBe(truth);
    expect(fixed).toBe(good); // same facts, same formatting as the committed file
  }, 60_000);

  it('verifies the committed Fashion-MNIST and names a damaged file', async () => {
    expect((await build(['fashion-mnist']))[0].action).toBe('verified');
    expect((await build(['fashion-mnist']))[0].action).toBe('up to date');
    const labels = join(root, 'fashion-mnist/test-y.u8');
    const bytes = await readFile(labels);
    bytes[0] = (bytes[0] + 1) % 10;
    await writeFile(labels, bytes);
    await expect(build(['fashion-mnist'])).rejects.toThrow(
      /fashion-mnist: the committed files differ .*\n {2}fashion-mnist.splits.test.classCounts: .*\n {2}fashion-mnist\/test-y.u8 sha256/,
    );
  }, 60_000);

  it('rejects unknown names', async () => {
    await expect(build(['cifar'])).rejects.toThrow(
      /unknown dataset cifar: .* lists mnist, fashion-mnist, imdb/,
    );
  });
});

describe('the IMDB split and vocabulary', () => {
  const reviews = parseImdbReviews(readFileSync(imdbInput(), 'utf8'), 'reviews.json');
  const { train, test, duplicates } = splitImdb(reviews);

  it('is balanced in train, disjoint, and covers every distinct review once', () => {
    expect(duplicates).toBe(418);
    expect(train).toHaveLength(25000);
    expect(train.filter((r) => r.label === 1)).toHaveLength(12500);
    expect(test).toHaveLength(49582 - 25000);
    const trainTexts = new Set(train.map((r) => r.text));
    expect(test.some((r) => trainTexts.has(r.text))).toBe(false);
    expect(new Set([...trainTexts, ...test.map((r) => r.text)]).size).toBe(49582);
    expect(splitImdb(reviews).train.map((r) => r.text)).toEqual(train.map((r) => r.text));
  });

  it('takes its vocabulary from the train split only', async () => {
    await buildDatasets({ names: ['imdb'] });
    const spec = JSON.parse(
      await readFile(join(DEFAULT_DATASETS_ROOT, 'imdb/tokenizer.json'), 'utf8'),
    );
    const fromTrain = buildVocabulary(
      train.map((r) => r.text),
      8000,
    );
    expect(spec.vocab).toEqual(fromTrain);
    // Counting the test split too would give a different vocabulary, so the check above can fail.
    const fromAll = buildVocabulary(
      [...train, ...test].map((r) => r.text),
      8000,
    );
    expect(fromAll).not.toEqual(fromTrain);
  }, 60_000);
});
