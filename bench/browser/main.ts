// The benchmark page's script: starts Strata's engine worker (src/engine/worker.ts, as the app
// does) and exposes timed jobs on window.strataBench for bench/run.ts (Playwright) to call.
import * as Comlink from 'comlink';
import type { EngineApi, TrainEvent } from '../../src/engine/api';
import type { LayerActivations } from '../../src/engine/pipeline/analyze';
import type {
  BrowserSimilaritySpec,
  BrowserTrainingSpec,
  StrataBench,
} from '../../scripts/bench/browserSpecs';
import { syntheticLayers } from '../../scripts/bench/data';
import { realModelJobs } from './realModel';

const worker = new Worker(new URL('../../src/engine/worker.ts', import.meta.url), {
  type: 'module',
  name: 'strata-engine',
});
const engine = Comlink.wrap<EngineApi>(worker);

async function similarity(spec: BrowserSimilaritySpec) {
  const layers: LayerActivations[] = [];
  let l = 0;
  for (const data of syntheticLayers(spec.layers, spec.n, spec.d, spec.seed)) {
    layers.push({ name: `layer_${l++}`, n: spec.n, d: spec.d, data });
  }
  const jobs = [];
  for (const job of spec.jobs) {
    const times: number[] = [];
    let metrics: Record<string, (number | null)[][]> = {};
    for (let i = 0; i < spec.warmup + spec.reps; i++) {
      const start = performance.now();
      // The layers are copied to the worker with each call (structured clone), as the app does.
      const report = await engine.analyzeActivations(layers, job.metrics, {
        batchSize: job.batchSize,
      });
      if (i >= spec.warmup) times.push(performance.now() - start);
      metrics = report.metrics as Record<string, (number | null)[][]>;
    }
    jobs.push({ times, matrices: metrics });
  }
  return { jobs };
}

/** Fine-tunes a built-in checkpoint for warmup + reps steps; each step's time from its log. */
async function training(spec: BrowserTrainingSpec) {
  const steps: number[] = [];
  await engine.startTraining(
    {
      baseModelId: spec.model,
      dataset: spec.dataset,
      loss: 'aligned',
      weighting: 'linear',
      lr: 1e-3,
      batchSize: spec.batch,
      steps: spec.warmup + spec.reps,
      seed: 0,
      evalEvery: 0,
    },
    Comlink.proxy((e: TrainEvent) => {
      // logEvery is 1 in a fine-tune, so each log's rate covers exactly one step.
      if (e.type === 'log') steps.push(1000 / e.log.stepsPerSecond);
    }),
  );
  return { times: steps.slice(spec.warmup) };
}

const bench: StrataBench = {
  init: (backend) => engine.init({ backend }),
  similarity,
  training,
  ...realModelJobs(engine),
};
(window as unknown as { strataBench: StrataBench }).strataBench = bench;
