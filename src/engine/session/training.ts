import type { ModelInfo, TrainEvent, TrainRequest } from '../apiTypes';
import type { Dataset } from '../data/types';
import type { LoadedModel } from '../pipeline/evaluate';
import { modelForLoss } from '../train/heads';
import { createTrainer, DEFAULT_TRAIN_CONFIG, type Trainer } from '../train/trainer';
import { cloneModel, type ModelRegistry } from './models';

/** The page's one live fine-tuning run: a copy of a checkpoint trained under a new model id. */
export class TrainingSession {
  private trainer: Trainer | null = null;
  private emit: (e: TrainEvent) => void = () => undefined;
  private count = 0;

  constructor(private readonly models: ModelRegistry) {}

  async start(
    base: LoadedModel,
    baseInfo: ModelInfo,
    dataset: Dataset,
    request: TrainRequest,
    onEvent: (e: TrainEvent) => void,
  ): Promise<ModelInfo> {
    if (this.trainer) throw new Error('a fine-tune is already running: stop it first');
    const emit = (e: TrainEvent) => {
      try {
        // Across comlink this returns a promise; a page that went away must not break training.
        Promise.resolve(onEvent(e)).catch(() => undefined);
      } catch {
        // ignore: the listener is gone
      }
    };
    const model = modelForLoss(cloneModel(base), request.loss, request.seed);
    this.count += 1;
    const info: ModelInfo = {
      ...baseInfo,
      id: `finetuned-${this.count}`,
      title: `${baseInfo.title} → ${request.loss} fine-tune #${this.count}`,
      loss: request.loss,
      perLayerHeads: model.config.heads === 'per-layer',
      builtin: false,
    };
    const trainer = createTrainer(
      model,
      dataset,
      {
        ...DEFAULT_TRAIN_CONFIG,
        loss: request.loss,
        weighting: request.weighting,
        lr: request.lr,
        batchSize: request.batchSize,
        steps: request.steps,
        seed: request.seed,
        warmupSteps: Math.min(DEFAULT_TRAIN_CONFIG.warmupSteps, Math.floor(request.steps / 10)),
        logEvery: 1,
        evalEvery: request.evalEvery,
        evalSamples: 500,
      },
      { onLog: (log) => emit({ type: 'log', log }), onEval: (log) => emit({ type: 'eval', log }) },
    );
    this.trainer = trainer;
    this.emit = emit;
    this.models.add(info, model);
    emit({ type: 'checkpoint', model: info });
    emit({ type: 'state', state: 'running', step: 0 });
    try {
      const outcome = await trainer.run();
      emit({ type: 'state', state: outcome, step: trainer.step });
      return info;
    } finally {
      trainer.dispose();
      this.trainer = null;
    }
  }

  pause(): void {
    if (!this.trainer) return;
    this.trainer.pause();
    this.emit({ type: 'state', state: 'paused', step: this.trainer.step });
  }

  resume(): void {
    if (!this.trainer) return;
    this.trainer.resume();
    this.emit({ type: 'state', state: 'running', step: this.trainer.step });
  }

  stop(): void {
    this.trainer?.stop();
  }
}
