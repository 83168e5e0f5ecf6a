import seedrandom from 'seedrandom';
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { initNodeBackend } from '../nodeBackend';
import { bytesSource } from '../io/byteSource';
import { openWeights } from '../import/checkpointWeights';
import { decoderConfigFromHuggingFace } from '../decoder/decoderConfig';
import type { DecoderInput } from '../decoder/decoderInput';
import {
  disposeDecoderParams,
  loadDecoderParams,
  type DecoderParams,
} from '../decoder/decoderWeights';
import { logitLens } from '../decoder/logitLens';
import { lmResume, saveLmCheckpoint } from './lmCheckpoint';
import { initDecoderParams } from './lmInit';
import { createLmTrainer, type LmTrainConfig } from './lmTrainer';

const V = 16;
const CONFIG = decoderConfigFromHuggingFace(
  {
    architectures: ['GPT2LMHeadModel'],
    model_type: 'gpt2',
    vocab_size: V,
    n_positions: 12,
    n_embd: 16,
    n_layer: 4,
    n_head: 2,
  },
  'config.json',
);

/**
 * Rows whose token t + 1 repeats token t − 1 (two seeded random starts): the next token needs
 * attention to the previous position, so it cannot be read off the embeddings alone.
 */
function copyRows(n: number, t: number, seed: number): DecoderInput {
  const rng = seedrandom(String(seed));
  const ids = new Int32Array(n * t);
  for (let r = 0; r < n; r++) {
    ids[r * t] = Math.floor(rng() * V);
    ids[r * t + 1] = Math.floor(rng() * V);
    for (let k = 2; k < t; k++) ids[r * t + k] = ids[r * t + k - 2];
  }
  return { n, t, ids, mask: new Float32Array(n * t).fill(1) };
}

const BASE: LmTrainConfig = {
  loss: 'standard',
  weighting: 'linear',
  steps: 40,
  batchSize: 16,
  lr: 1e-2,
  warmupSteps: 5,
  weightDecay: 0.01,
  clipNorm: 1,
  seed: 3,
  logEvery: 1000,
};

async function values(params: DecoderParams): Promise<Float32Array[]> {
  return Promise.all([...params.tensors.values()].map((t) => t.data() as Promise<Float32Array>));
}

describe('createLmTrainer', () => {
  beforeAll(async () => {
    await initNodeBackend('cpu');
  });

  it('aligned lifts the lens accuracy at layer L/2 more than standard, same steps and seed', async () => {
    const train = copyRows(128, 12, 7);
    const heldOut = copyRows(32, 12, 99);
    const mid = CONFIG.numLayers / 2;
    const lift: Record<string, number> = {};
    for (const loss of ['standard', 'aligned'] as const) {
      const params = initDecoderParams(CONFIG, 5);
      const before = (await logitLens(params, heldOut)).accuracy[mid];
      const trainer = createLmTrainer(params, train, { ...BASE, loss });
      await trainer.run();
      trainer.dispose();
      const after = await logitLens(params, heldOut);
      lift[loss] = after.accuracy[mid] - before;
      disposeDecoderParams(params);
    }
    const seen = JSON.stringify(lift);
    expect(lift.aligned, seen).toBeGreaterThan(0.1);
    expect(lift.aligned, seen).toBeGreaterThan(lift.standard + 0.1);
  }, 180_000);

  it('a run saved and resumed from its files ends with the weights of the run left alone', async () => {
    const train = copyRows(64, 12, 11);
    const config = { ...BASE, loss: 'aligned' as const, steps: 6, batchSize: 8 };
    const whole = initDecoderParams(CONFIG, 5);
    const straight = createLmTrainer(whole, train, config);
    await straight.run();
    straight.dispose();

    const half = initDecoderParams(CONFIG, 5);
    const first = createLmTrainer(half, train, config);
    for (let i = 0; i < 3; i++) await first.trainStep();
    const files = await saveLmCheckpoint(half, first);
    first.dispose();
    disposeDecoderParams(half);
    const weights = await openWeights({
      kind: 'single',
      file: bytesSource(files.weights, 'model.safetensors'),
    });
    const { params: loaded } = await loadDecoderParams(CONFIG, weights);
    const resume = lmResume(files.optimizer, loaded, 'optimizer.safetensors');
    expect(resume.step).toBe(3);
    expect(resume.optimizer.step).toBe(3);
    const second = createLmTrainer(loaded, train, config, {}, resume);
    await second.run();
    second.dispose();

    const [a, b] = [await values(whole), await values(loaded)];
    a.forEach((x, i) => expect(Array.from(b[i])).toEqual(Array.from(x)));
    disposeDecoderParams(whole);
    disposeDecoderParams(loaded);
    const fresh = initDecoderParams(CONFIG, 5);
    expect(() => lmResume(files.weights, fresh, 'model.safetensors')).toThrow(
      /model.safetensors: metadata "adamw_step"/,
    );
    disposeDecoderParams(fresh);
  }, 120_000);

  it('frees every tensor it made: a step leaves only the optimiser state it was made with', async () => {
    const params = initDecoderParams(CONFIG, 2);
    const before = tf.memory().numTensors;
    const trainer = createLmTrainer(params, copyRows(16, 12, 1), {
      ...BASE,
      loss: 'aligned',
      steps: 2,
      batchSize: 8,
      logEvery: 1,
    });
    // AdamW's moments (flat, a few tensors for the whole model) and its weight-decay mask.
    const optimizerState = tf.memory().numTensors;
    expect(optimizerState).toBeGreaterThan(before);
    await trainer.run();
    expect(tf.memory().numTensors).toBe(optimizerState);
    trainer.dispose();
    expect(tf.memory().numTensors).toBe(before);
    disposeDecoderParams(params);
  });
});
