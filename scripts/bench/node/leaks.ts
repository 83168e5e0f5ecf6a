import { analyzeLayers, type LayerActivations } from '../../../src/engine/pipeline/analyze';
import { disposeParams } from '../../../src/engine/model/params';
import { syntheticLayers } from '../data';
import { memorySample } from './memory';
import { vitTrainer } from './training';

export interface LeaksTask {
  kind: 'leaks';
  steps: number;
  trainBatch: number;
  sampleEvery: number;
  analyses: number;
  analysisN: number;
  analysisD: number;
  analysisLayers: number;
}

export type MemorySample = ReturnType<typeof memorySample> & { at: number };

export interface LeaksOutcome {
  training: MemorySample[];
  analyses: MemorySample[];
  trainMs: number;
  analysisMs: number;
}

/**
 * Counters across a long run of each entry point: trainer.trainStep (the default ViT, aligned
 * loss, the page's log interval, an evaluation every quarter of the run) and analyzeLayers (every
 * metric that applies, RBF CKA included). Sample 0 is taken after one warm-up call.
 */
export async function runLeaks(task: LeaksTask): Promise<LeaksOutcome> {
  const { model, trainer } = vitTrainer(task.trainBatch, {
    logEvery: 10,
    evalEvery: Math.max(1, Math.floor(task.steps / 4)),
    evalSamples: 200,
  });
  const training: MemorySample[] = [];
  let start = performance.now();
  try {
    await trainer.trainStep();
    training.push({ at: 0, ...memorySample() });
    for (let s = 1; s <= task.steps; s++) {
      await trainer.trainStep();
      if (s % task.sampleEvery === 0 || s === task.steps)
        training.push({ at: s, ...memorySample() });
    }
  } finally {
    trainer.dispose();
    disposeParams(model.params);
  }
  const trainMs = performance.now() - start;

  const { analysisN: n, analysisD: d, analysisLayers: k } = task;
  let l = 0;
  const layers: LayerActivations[] = [];
  for (const data of syntheticLayers(k, n, d, 7)) layers.push({ name: `layer_${l++}`, n, d, data });
  const analyses: MemorySample[] = [];
  const every = Math.max(1, Math.floor(task.analyses / 20));
  await analyzeLayers(layers, undefined);
  analyses.push({ at: 0, ...memorySample() });
  start = performance.now();
  for (let a = 1; a <= task.analyses; a++) {
    await analyzeLayers(layers, undefined);
    if (a % every === 0 || a === task.analyses) analyses.push({ at: a, ...memorySample() });
  }
  return { training, analyses, trainMs, analysisMs: performance.now() - start };
}
