import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RECIPES, modelName } from './recipes';
import { writeModelsReport, type RunRecord } from './report';

const mnist = RECIPES.filter((r) => r.dataset === 'mnist');

/** Writes what train:models leaves beside a checkpoint, with the given per-layer accuracies. */
async function checkpoint(
  dir: string,
  loss: string,
  accuracy: number[],
  exits: { meanExitLayer: number; accuracy: number }[],
): Promise<void> {
  const folder = join(dir, `mnist-${loss}`);
  await mkdir(folder, { recursive: true });
  const recipe = mnist.find((r) => r.loss === loss)!;
  const files = {
    'metrics.json': {
      recipe: { ...recipe, model: 'vit-mnist' },
      backend: 'wasm',
      trainSeconds: 600,
      testSamples: 10000,
      perLayerAccuracy: accuracy,
      sharedClassifierAccuracy: accuracy,
    },
    'exits.json': {
      rule: 'confidence',
      layers: 4,
      samples: 10000,
      perLayerAccuracy: accuracy,
      points: exits.map((p, i) => ({ threshold: i / 10, speedup: 4 / p.meanExitLayer, ...p })),
    },
    'similarity.json': { agreement: { 'cosine~cka': { pearson: 0.9876, spearman: 1 } } },
    'config.json': {
      num_hidden_layers: 4,
      hidden_size: 64,
      num_attention_heads: 4,
      intermediate_size: 128,
      id2label: Object.fromEntries([...'0123456789'].map((c, i) => [i, c])),
    },
  };
  for (const [name, value] of Object.entries(files))
    await writeFile(join(folder, name), JSON.stringify(value));
}

describe('writeModelsReport', () => {
  let dir = '';
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('states each claim from the measurements, met or not, with the numbers', async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-report-'));
    const line = [
      { meanExitLayer: 1, accuracy: 0.6 },
      { meanExitLayer: 4, accuracy: 0.9 },
    ];
    await checkpoint(dir, 'standard', [0.2, 0.5, 0.97, 0.985], line);
    // rises until layer 3, then drops 0.5 points: not monotone
    await checkpoint(dir, 'aligned', [0.8, 0.9, 0.98, 0.975], line);
    // 2 points better than the shared classifier at every mean exit layer
    await checkpoint(
      dir,
      'multihead',
      [0.8, 0.9, 0.98, 0.99],
      line.map((p) => ({ ...p, accuracy: p.accuracy + 0.02 })),
    );
    const run: RunRecord = {
      date: '2026-11-30T10:00:00.000Z',
      wallSeconds: 3900,
      jobs: 2,
      cpus: 2,
      cpuModel: 'Test CPU',
      node: 'v20.0.0',
      checkpoints: mnist.map(modelName),
    };
    await writeFile(join(dir, 'run.json'), JSON.stringify(run));
    await writeModelsReport(dir, mnist);
    const readme = await readFile(join(dir, 'README.md'), 'utf8');

    expect(readme).toContain(
      '3 checkpoints trained and measured in 65.0 min wall-clock, 2 processes',
    );
    expect(readme).toContain('No checkpoints yet for: fashion-mnist, imdb.');
    expect(readme).toContain('| `mnist-standard` | 20.00 | 50.00 | 97.00 | 98.50 |');
    expect(readme).toContain('Standard checkpoint, last layer: 98.50% (aim ≥ 98.00%: met)');
    // layer 2 of 4: 90 − 50 = +40 points
    expect(readme).toContain(
      'Middle layer (layer 2 of 4): aligned 90.00% vs standard 50.00% — +40.00 points (target ≥ +20: met)',
    );
    expect(readme).toContain(
      'aligned 97.50% vs standard 98.50% — -1.00 points (target within 1.5: met)',
    );
    expect(readme).toContain('NOT monotone: it drops at layer 4 (-0.50 points)');
    expect(readme).toMatch(
      /largest gap -2\.00 points at mean exit layer \d\.\d \(target within 1: NOT met\)/,
    );
    expect(readme).toContain('Pearson 0.988, Spearman 1.000');
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest.models.map((m: { id: string }) => m.id)).toEqual(mnist.map(modelName));
  });
  it.each([
    [0.95, 0.98, "+3.00 points (target within 1.5: not within, but in aligned's favour"],
    [0.98, 0.96, '-2.00 points (target within 1.5: NOT met)'],
  ])('judges the last layer: standard %s, aligned %s', async (s, a, verdict) => {
    dir = await mkdtemp(join(tmpdir(), 'strata-report-'));
    const line = [{ meanExitLayer: 4, accuracy: 0.9 }];
    await checkpoint(dir, 'standard', [0.5, 0.6, 0.7, s], line);
    await checkpoint(dir, 'aligned', [0.5, 0.6, 0.7, a], line);
    const two = mnist.filter((r) => r.loss !== 'multihead');
    await writeModelsReport(dir, two);
    expect(await readFile(join(dir, 'README.md'), 'utf8')).toContain(verdict);
  });
});
