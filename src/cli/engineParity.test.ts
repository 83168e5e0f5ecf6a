// The CLI is a host of the engine: `strata analyze` and `strata exits` write exactly the numbers
// that the engine API (as the worker hosts it for the page) returns for the same request — on a
// built-in multi-head model and a built-in aligned one.
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type EngineApi } from '../engine/api';
import { DEFAULT_MINIBATCH_SIZE } from '../engine/metrics/similarity';
import { nodeEngineHost } from '../engine/nodeHost';
import { strata } from './testing';

const SAMPLES = 96;
const SEED = 3;
let dir: string;
let engine: EngineApi;

const readJson = async (path: string) => JSON.parse(await readFile(path, 'utf8'));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strata-parity-'));
  engine = createEngine(nodeEngineHost());
  await engine.init({ backend: 'cpu' });
});

describe.each(['mnist-multihead', 'mnist-aligned'])('%s: CLI and engine API agree', (model) => {
  it('analyze: similarity matrices, per-layer accuracy and loss, head accuracy', async () => {
    const out = join(dir, `${model}-analyze`);
    const cli = await strata(
      'analyze',
      ...['--model', model, '--dataset', 'mnist', '--samples', String(SAMPLES)],
      ...['--seed', String(SEED), '--metrics', 'cosine,cka,cka-debiased', '--backend', 'cpu'],
      ...['--out', out],
    );
    expect(cli.code, cli.stderr).toBe(0);
    const file = await readJson(join(out, 'similarity.json'));
    const api = await engine.analyze({
      modelId: model,
      dataset: 'mnist',
      samples: SAMPLES,
      seed: SEED,
      pooling: 'cls',
      metrics: ['cosine', 'cka', 'cka-debiased'],
      finalNormInHead: true,
      batchSize: DEFAULT_MINIBATCH_SIZE,
      rbfT: 0.5,
    });
    expect(file.layers).toEqual(api.layers);
    expect(file.n).toBe(SAMPLES);
    expect(file.metrics).toEqual(api.metrics);
    expect(file.notes).toEqual(api.notes);
    expect(file.agreement).toEqual(api.agreement);
    expect(file.perLayerAccuracy).toEqual(api.accuracy);
    expect(file.perLayerLoss).toEqual(api.loss);
    expect(file.pooling).toBe('cls');
    const L = api.layers.length - 1;
    if (model.endsWith('multihead')) {
      // Layer 0..L like perLayerAccuracy: heads g_1..g_{L−1}, and at L the model's own head g.
      expect(file.perLayerHeadAccuracy).toEqual([null, ...api.headAccuracy!]);
      expect(file.perLayerHeadAccuracy).toHaveLength(L + 1);
      expect(file.perLayerHeadAccuracy[L]).toBe(file.perLayerAccuracy[L]);
    } else {
      expect(api.headAccuracy).toBeUndefined();
      expect(file.perLayerHeadAccuracy).toBeUndefined();
    }
  }, 120_000);

  it('exits: every trade-off point, and per-layer accuracy with the meaning analyze gives it', async () => {
    const out = join(dir, `${model}-exits`);
    const cli = await strata(
      'exits',
      ...['--model', model, '--dataset', 'mnist', '--rule', 'entropy'],
      ...['--samples', String(SAMPLES), '--seed', String(SEED), '--backend', 'cpu', '--out', out],
    );
    expect(cli.code, cli.stderr).toBe(0);
    const file = await readJson(join(out, 'exits.json'));
    const api = await engine.exitTradeoff({
      modelId: model,
      dataset: 'mnist',
      samples: SAMPLES,
      seed: SEED,
      rule: 'entropy',
    });
    expect(file.points).toEqual(api.tradeoff.points);
    expect(file.perLayerAccuracy).toEqual(api.tradeoff.perLayerAccuracy);
    expect(file.samples).toBe(SAMPLES);
    const multi = model.endsWith('multihead');
    expect(api.classifier).toBe(multi ? 'per-layer' : 'shared');
    expect(file.classifier).toBe(
      multi ? 'per-layer heads (multi-head baseline)' : 'shared classifier',
    );
    // The exit classifiers are those whose accuracy analyze reports, on the same samples.
    const analysis = await readJson(join(dir, `${model}-analyze`, 'similarity.json'));
    const perLayer = multi ? analysis.perLayerHeadAccuracy : analysis.perLayerAccuracy;
    expect(file.perLayerAccuracy).toEqual(perLayer.slice(1));
  }, 120_000);
});

describe('a checkpoint folder given by path', () => {
  it('reaches the engine by registerCheckpoint: the numbers of the same built-in model', async () => {
    const folder = join(dir, 'my-multihead');
    await cp(join('public', 'models', 'mnist-multihead'), folder, { recursive: true });
    const out = join(dir, 'folder-exits');
    const args = ['--dataset', 'mnist', '--rule', 'entropy', '--samples', String(SAMPLES)];
    args.push('--seed', String(SEED));
    const cli = await strata('exits', '--model', folder, ...args, '--backend', 'cpu', '--out', out);
    expect(cli.code, cli.stderr).toBe(0);
    const file = await readJson(join(out, 'exits.json'));
    const builtin = await readJson(join(dir, 'mnist-multihead-exits', 'exits.json'));
    expect(file.model).toBe('my-multihead');
    expect(file.classifier).toBe('per-layer heads (multi-head baseline)');
    expect(file.points).toEqual(builtin.points);

    await rm(join(folder, 'model.safetensors'));
    const missing = await strata('exits', '--model', folder, ...args, '--out', join(dir, 'no'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(
      `model "${folder}": ${join(folder, 'model.safetensors')} is missing`,
    );
  }, 120_000);
});
