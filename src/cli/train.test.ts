// `strata train --schedule`, in process: a custom list of layer weights reaches the recipe, and a
// list that cannot fit the model fails before any training, naming what was expected.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { strata } from './testing';

let dir: string;

const train = (out: string, schedule: string) =>
  strata(
    'train',
    '--model',
    'vit-mnist',
    '--dataset',
    'mnist',
    '--loss',
    'aligned',
    '--schedule',
    schedule,
    '--steps',
    '2',
    '--batch-size',
    '8',
    '--eval-every',
    '0',
    '--backend',
    'wasm',
    '--out',
    out,
  );

describe('strata train --schedule', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-train-'));
  });

  it('takes one weight per layer and records it in the recipe', async () => {
    const out = join(dir, 'custom');
    const { code, stderr } = await train(out, '1, 0,0,0,0,2.5');
    expect(code, stderr).toBe(0);
    const metrics = JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.recipe.weighting).toEqual([1, 0, 0, 0, 0, 2.5]);
    expect(metrics.log.at(-1).terms).toHaveLength(6);
  }, 120_000);

  it.each([
    ['1,2', '--schedule 1,2: 2 weights, expected one per layer of vit-mnist (6)'],
    ['1,x,1,1,1,1', '--schedule 1,x,1,1,1,1: weight 2 is "x", expected a number ≥ 0'],
    ['1,,1,1,1,1', 'weight 2 is "", expected a number ≥ 0'],
    ['1,-1,1,1,1,1', 'weight 2 is "-1", expected a number ≥ 0'],
    ['0,0,0,0,0,0', '--schedule 0,0,0,0,0,0: all weights are 0'],
    ['cubic', '--schedule cubic: expected one of linear, uniform'],
  ])('refuses --schedule %s before training', async (schedule, message) => {
    const out = join(dir, 'refused');
    const { code, stderr } = await train(out, schedule);
    expect(code).toBe(1);
    expect(stderr).toContain(message);
    expect(stderr).not.toContain('training aligned');
  });
});
