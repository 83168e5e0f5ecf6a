import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { initNodeBackend } from '../nodeBackend';
import { loadBuiltinDataset } from '../data/builtin';
import { sampleIndices } from '../data/order';
import { PAD_ID, UNK_ID } from '../data/tokenizer';
import type { DataSplit } from '../data/types';
import type { DecoderFiles } from '../decoder/decoderApiTypes';
import type { LmTrainEvent, LmTrainRequest } from '../decoder/lmTrainTypes';
import type { NamedArray } from '../io/dtypes';
import { lmFineTuneName } from '../decoder/lmRunName';
import { LmTrainingSession } from './lmTraining';

// The built-in standard LM (public/models/imdb-lm-standard) fine-tuned on IMDB training reviews
// and measured by the logit lens on held-out test reviews, as the page does.

const MODEL = 'public/models/imdb-lm-standard';
const VOCAB = 1024;

async function modelFiles(): Promise<DecoderFiles> {
  const file = async (name: string) => ({
    path: `imdb-lm-standard/${name}`,
    file: new Blob([await readFile(`${MODEL}/${name}`)]),
  });
  return {
    config: await file('config.json'),
    weights: await file('model.safetensors'),
    tokenizer: await file('tokenizer.json'),
    tokenizerConfig: await file('tokenizer_config.json'),
  };
}

/** `rows` seeded rows of a split as LM ids (ids ≥ the vocabulary read as [UNK], [PAD] masked). */
function lmIds(split: DataSplit, seqLen: number, rows: number, seed: string): NamedArray[] {
  const picked = sampleIndices(split.n, rows, seed);
  const ids = new Int32Array(rows * seqLen);
  const mask = new Int32Array(rows * seqLen);
  picked.forEach((row, i) => {
    for (let j = 0; j < seqLen; j++) {
      const id = split.x[row * seqLen + j];
      ids[i * seqLen + j] = id >= VOCAB ? UNK_ID : id;
      mask[i * seqLen + j] = id === PAD_ID ? 0 : 1;
    }
  });
  const shape = [rows, seqLen];
  return [
    { name: 'input_ids', dtype: 'int32', shape, data: ids },
    { name: 'attention_mask', dtype: 'int32', shape, data: mask },
  ];
}

let base: Omit<LmTrainRequest, 'steps' | 'evalEvery'>;

beforeAll(async () => {
  await initNodeBackend('wasm');
  const imdb = await loadBuiltinDataset(
    'imdb',
    async (p) => new Uint8Array(await readFile(`public/datasets/${p}`)),
  );
  const seqLen = imdb.inputShape[0];
  base = {
    files: await modelFiles(),
    source: 'imdb-lm-standard',
    train: { input: lmIds(imdb.train, seqLen, 400, 'train'), inputSource: 'imdb train' },
    heldOut: { input: lmIds(imdb.test, seqLen, 32, '1:lens'), inputSource: 'imdb test' },
    loss: 'aligned',
    weighting: 'linear',
    batchSize: 8,
    lr: 1e-3,
    seed: 0,
    maxLength: 32,
    warmupSteps: 2,
    evalSamples: 32,
    quickEvalSamples: 32,
  };
}, 60_000);

describe('LmTrainingSession', () => {
  it('an aligned run lifts layer 1’s held-out next-token accuracy of the standard LM, frees its tensors', async () => {
    const session = new LmTrainingSession();
    const events: LmTrainEvent[] = [];
    const before = tf.memory().numTensors;
    const result = await session.start({ ...base, steps: 10, evalEvery: 100 }, (e) => {
      events.push(e);
    });
    expect(tf.memory().numTensors).toBe(before);
    const evals = events.flatMap((e) => (e.type === 'eval' ? [e.log] : []));
    expect(evals.map((e) => [e.step, e.kind])).toEqual([
      [0, 'before'],
      [1, 'quick'],
      [5, 'quick'],
      [10, 'full'],
    ]);
    // The same 32 held-out reviews before and after: layer 1 (of 4) gains over 1.5 points.
    const [first, last] = [evals[0].lens, evals[3].lens];
    expect(first.tokens).toBe(last.tokens);
    expect(last.accuracy[1] - first.accuracy[1]).toBeGreaterThan(0.015);
    expect(last.loss[1]).toBeLessThan(first.loss[1]);
    expect(events[0]).toEqual({ type: 'preparing', phase: 'model' });
    const logs = events.flatMap((e) => (e.type === 'log' ? [e.log] : []));
    expect(logs.map((l) => l.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(logs[0].terms).toHaveLength(4); // one CE per layer
    expect(result).toMatchObject({ state: 'done', step: 10 });
    expect(result.name).toBe('imdb-lm-standard → aligned, 10 steps, lr 1e-3');
    expect(new TextDecoder().decode(result.config)).toContain('GPT2LMHeadModel');
  }, 240_000);

  it('a run paused and resumed, or continued from its pause snapshot, ends on the same weights as one left alone', async () => {
    // Weights, not evaluations, are compared: two held-out rows keep each run's last eval cheap.
    const request = { ...base, steps: 4, evalEvery: 0, evalSamples: 2, quickEvalSamples: 2 };
    const plain = await new LmTrainingSession().start(request, () => undefined);

    const session = new LmTrainingSession();
    let pausedAt: Uint8Array[] | null = null;
    const before = tf.memory().numTensors;
    const paused = await session.start(request, (e) => {
      // As the page's call does: a message handled after the step, not inside it.
      if (e.type === 'log' && e.log.step === 2) setTimeout(() => session.pause(), 0);
      if (e.type === 'snapshot') {
        expect(e.snapshot.step).toBe(2);
        pausedAt = [e.snapshot.weights, e.snapshot.optimizer];
        session.resume();
      }
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(pausedAt).not.toBeNull();
    expect(paused.snapshot.weights).toEqual(plain.snapshot.weights);
    expect(paused.snapshot.optimizer).toEqual(plain.snapshot.optimizer);

    const [weights, optimizer] = pausedAt!;
    const events: LmTrainEvent[] = [];
    const resumed = await new LmTrainingSession().start(request, (e) => events.push(e), {
      resumeFrom: { step: 2, weights, optimizer },
    });
    expect(
      events.filter((e) => e.type === 'log').map((e) => e.type === 'log' && e.log.step),
    ).toEqual([3, 4]);
    expect(resumed.snapshot.weights).toEqual(plain.snapshot.weights);
    expect(tf.memory().numTensors).toBe(before);
  }, 240_000);

  it('stop ends the run between steps with its weights, and names the run by what it is', async () => {
    const session = new LmTrainingSession();
    const result = await session.start(
      { ...base, steps: 50, evalEvery: 0, evalSamples: 2, quickEvalSamples: 2 },
      (e) => {
        if (e.type === 'log' && e.log.step === 2) setTimeout(() => session.stop(), 0);
      },
    );
    expect(result).toMatchObject({ state: 'stopped', step: 2 });
    expect(
      lmFineTuneName({
        ...base,
        loss: 'standard',
        weighting: 'uniform',
        steps: 1,
        lr: 0.02,
        seed: 3,
      }),
    ).toBe('imdb-lm-standard → standard, 1 step, lr 0.02, seed 3');
  }, 240_000);
});
