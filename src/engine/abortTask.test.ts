import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type EngineApi, type ProgressEvent, type TrainEvent } from './api';
import { nodeEngineHost } from './nodeHost';
import { isTaskAborted } from './tasks';

// A built-in model on many samples: a run left alone takes many batches, so an abort that does
// not stop it within one shows as further progress.
const ANALYSIS = {
  modelId: 'mnist-aligned',
  dataset: 'mnist',
  samples: 2048,
  seed: 0,
  pooling: 'cls' as const,
  metrics: ['cosine' as const, 'cka' as const],
  finalNormInHead: true,
  batchSize: 256,
  rbfT: 0.5,
};
const EXITS = {
  modelId: 'mnist-aligned',
  dataset: 'mnist',
  samples: 2048,
  seed: 0,
  rule: 'confidence' as const,
};

/** How a call ended: its error when it rejected. */
const outcome = (p: Promise<unknown>) =>
  p.then(
    () => 'finished',
    (e: unknown) => e,
  );

describe('abortTask', () => {
  let engine: EngineApi;

  beforeAll(async () => {
    engine = createEngine(nodeEngineHost());
    await engine.init({ backend: 'wasm' });
    // Warm-up: the model's weights and the dataset stay loaded, so the baseline below holds them.
    await engine.analyze({ ...ANALYSIS, samples: 16 });
  }, 60_000);

  it('stops an analysis within one batch, frees its tensors, and rejects as aborted', async () => {
    const baseline = await engine.numTensors();
    const done: number[] = [];
    let abortedAt = -1;
    const result = await outcome(
      engine.analyze(
        ANALYSIS,
        (e: ProgressEvent) => {
          if (e.phase !== 'capturing layers') return;
          done.push(e.done);
          if (abortedAt < 0) {
            abortedAt = done.length;
            void engine.abortTask('analysis-1');
          }
        },
        'analysis-1',
      ),
    );
    expect(isTaskAborted(result)).toBe(true);
    expect((result as Error).name).toBe('TaskAbortedError');
    expect(done.length - abortedAt).toBeLessThanOrEqual(1);
    expect(done.at(-1)).toBeLessThan(ANALYSIS.samples);
    expect(await engine.numTensors()).toBe(baseline);
  });

  it('stops an exit sweep within one batch and caches nothing of it', async () => {
    const baseline = await engine.numTensors();
    const done: number[] = [];
    let abortedAt = -1;
    const result = await outcome(
      engine.exitTradeoff(
        EXITS,
        (e) => {
          if (e.phase !== 'running exits') return;
          done.push(e.done);
          if (abortedAt < 0) {
            abortedAt = done.length;
            void engine.abortTask('exits-1');
          }
        },
        'exits-1',
      ),
    );
    expect((result as Error).name).toBe('TaskAbortedError');
    expect(done.length - abortedAt).toBeLessThanOrEqual(1);
    expect(done.at(-1)).toBeLessThan(EXITS.samples);
    expect(await engine.numTensors()).toBe(baseline);
    await expect(engine.exitReadout(EXITS, 0.9)).rejects.toThrow(/no trade-off computed yet/);
  });

  it('stops a fine-tune within one step, drops its model and frees its tensors', async () => {
    const baseline = await engine.numTensors();
    const steps: number[] = [];
    let abortedAt = -1;
    const result = await outcome(
      engine.startTraining(
        {
          baseModelId: 'mnist-aligned',
          dataset: 'mnist',
          loss: 'aligned',
          weighting: 'linear',
          lr: 1e-3,
          batchSize: 16,
          steps: 200,
          seed: 0,
          evalEvery: 0,
        },
        (e: TrainEvent) => {
          if (e.type !== 'log') return;
          steps.push(e.log.step);
          if (abortedAt < 0) {
            abortedAt = steps.length;
            void engine.abortTask('train-1');
          }
        },
        { task: 'train-1', snapshotEvery: 0 },
      ),
    );
    expect((result as Error).name).toBe('TaskAbortedError');
    expect(steps.length - abortedAt).toBeLessThanOrEqual(1);
    expect((await engine.listModels()).map((m) => m.id)).not.toContain('finetuned-1');
    expect(await engine.numTensors()).toBe(baseline);
  });

  it('stops a call whose abort overtook it before any batch', async () => {
    await engine.abortTask('early-1');
    const events: ProgressEvent[] = [];
    const result = await outcome(engine.analyze(ANALYSIS, (e) => events.push(e), 'early-1'));
    expect((result as Error).name).toBe('TaskAbortedError');
    expect(events.filter((e) => e.phase === 'capturing layers')).toEqual([]);
  });

  it('leaves a call alone whose id was aborted after it ended', async () => {
    const small = { ...ANALYSIS, samples: 64 };
    const first = await engine.analyze(small, undefined, 'done-1');
    await engine.abortTask('done-1');
    expect(first.n).toBe(64);
    expect((await engine.analyze(small, undefined, 'done-2')).n).toBe(64);
  });
});
