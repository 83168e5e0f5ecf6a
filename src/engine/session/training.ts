import type {
  ModelInfo,
  StartTrainingOptions,
  TrainEvent,
  TrainRequest,
  TrainSnapshot,
} from '../apiTypes';
import type { Dataset } from '../data/types';
import type { ModelConfig } from '../model/config';
import { disposeParams } from '../model/params';
import { throwIfAborted } from '../tasks';
import type { LoadedModel } from '../pipeline/evaluate';
import { modelForLoss, withClassHead } from '../train/heads';
import { createTrainer, type Trainer, type TrainerResume } from '../train/trainer';
import { cloneModel, type ModelRegistry } from './models';
import { fineTuneName, uniqueName } from './runName';
import { captureSnapshot, restoreSnapshot } from './snapshot';
import { RUN_FIELDS, trainConfigOf } from './trainRequest';

export { trainConfigOf } from './trainRequest';

/** Steps between two snapshots unless the caller says otherwise. */
export const DEFAULT_SNAPSHOT_EVERY = 25;

/**
 * Marks buffers to be moved rather than copied across the worker boundary (comlink.transfer in
 * the worker); the identity elsewhere.
 */
export type Transfer = <T>(value: T, buffers: ArrayBuffer[]) => T;

/** Hands `e` to the page's listener; a page that went away must not break the run. */
export function notify(onEvent: (e: TrainEvent) => void, e: TrainEvent): void {
  try {
    // Across comlink this returns a promise, which rejects when the page is gone.
    Promise.resolve(onEvent(e)).catch(() => undefined);
  } catch {
    // ignore: the listener is gone
  }
}

/** A run's options in the engine: `task` became the signal that aborts it (tasks.ts). */
export type SessionTrainingOptions = StartTrainingOptions & { signal?: AbortSignal };

/** The page's one live fine-tuning run: a copy of a checkpoint trained under a new model id. */
export class TrainingSession {
  private trainer: Trainer | null = null;

  /** Whether a fine-tune is running or paused (not yet stopped or done). */
  get running(): boolean {
    return this.trainer !== null;
  }
  private emit: (e: TrainEvent, transfer?: ArrayBuffer[]) => void = () => undefined;
  private snapshotNow: (state: TrainSnapshot['state']) => Promise<void> = async () => undefined;
  /** Tells the page the run's model and the revision its weights stand at now. */
  private checkpointNow: () => void = () => undefined;
  private count = 0;

  constructor(
    private readonly models: ModelRegistry,
    private readonly transfer: Transfer = (value) => value,
  ) {}

  /** Fine-tunes a fresh copy of `base`. */
  async start(
    base: LoadedModel,
    baseInfo: ModelInfo,
    dataset: Dataset,
    request: TrainRequest,
    onEvent: (e: TrainEvent) => void,
    options: SessionTrainingOptions = {},
  ): Promise<ModelInfo> {
    if (this.trainer) throw new Error('a fine-tune is already running: stop it first');
    const number = this.runNumber(options);
    notify(onEvent, { type: 'preparing', phase: 'model' });
    // A dataset with other classes (a user's) gets a new classifier head of its own width.
    const headed = withClassHead(cloneModel(base), dataset.classNames, request.seed);
    const newHead = headed.config.numClasses !== base.config.numClasses;
    const model = modelForLoss(headed, request.loss, request.seed);
    const id = `finetuned-${number}`;
    const name = fineTuneName(baseInfo, request, newHead ? dataset.classNames.length : undefined);
    const taken = this.models.list().map((m) => m.title);
    const info: ModelInfo = {
      ...baseInfo,
      id,
      title: uniqueName(name, taken, number),
      ...(newHead ? { dataset: dataset.name, numClasses: dataset.classNames.length } : {}),
      loss: request.loss,
      perLayerHeads: model.config.heads === 'per-layer',
      builtin: false,
      revision: 0,
    };
    return this.run(model, info, dataset, request, onEvent, options, undefined);
  }

  /** The new run's number: the caller's (an error if its id is taken), else the next free one. */
  private runNumber(options: StartTrainingOptions): number {
    const taken = (id: string) => this.models.has(id) || !!options.avoidIds?.includes(id);
    if (options.runNumber !== undefined) {
      const n = options.runNumber;
      if (!Number.isSafeInteger(n) || n < 1)
        throw new Error(`startTraining: runNumber is ${n}, expected a whole number from 1`);
      if (taken(`finetuned-${n}`))
        throw new Error(`startTraining: runNumber ${n} names finetuned-${n}, which is taken`);
      return n;
    }
    do this.count += 1;
    while (taken(`finetuned-${this.count}`));
    return this.count;
  }

  /**
   * Continues a saved run under its own model id, from its step, optimiser state and data position.
   * `readDataset` gives the rows as the restored model reads them (a user's dataset through its
   * per-model view, userDataView.ts).
   */
  async resumeFrom(
    snapshot: TrainSnapshot,
    readDataset: (config: ModelConfig) => Promise<Dataset>,
    request: TrainRequest,
    onEvent: (e: TrainEvent) => void,
    options: SessionTrainingOptions = {},
  ): Promise<ModelInfo> {
    if (this.trainer) throw new Error('a fine-tune is already running: stop it first');
    const source = `snapshot of ${snapshot?.model?.id ?? 'a fine-tune'}`;
    // Compared as JSON: a custom weighting is a list, and a stored snapshot holds a copy of it.
    for (const key of RUN_FIELDS) {
      // JSON: a list of layer weights compares by value.
      const asked = JSON.stringify(request[key]);
      const taken = JSON.stringify(snapshot?.request?.[key]);
      if (asked !== taken)
        throw new Error(
          `${source}: request.${key} is ${asked} but the snapshot was taken with ${taken}`,
        );
    }
    if (this.models.has(snapshot.model.id))
      throw new Error(`${source}: a model "${snapshot.model.id}" is already loaded`);
    notify(onEvent, { type: 'preparing', phase: 'model' });
    const { model, resume } = restoreSnapshot(snapshot, source);
    let dataset: Dataset;
    try {
      dataset = await readDataset(model.config);
      const kind = model.config.architecture === 'vit' ? 'image' : 'text';
      if (kind !== dataset.kind || model.config.numClasses !== dataset.classNames.length)
        throw new Error(
          `${source}: the model (${kind}, ${model.config.numClasses} classes) cannot read dataset "${dataset.name}"`,
        );
    } catch (e) {
      disposeParams(model.params);
      throw e;
    }
    const info: ModelInfo = { ...snapshot.model, builtin: false, revision: snapshot.step };
    return this.run(model, info, dataset, request, onEvent, options, resume);
  }

  private async run(
    model: LoadedModel,
    info: ModelInfo,
    dataset: Dataset,
    request: TrainRequest,
    onEvent: (e: TrainEvent) => void,
    options: SessionTrainingOptions,
    resume: TrainerResume | undefined,
  ): Promise<ModelInfo> {
    try {
      // Stopped while it prepared: nothing was reached, so nothing is listed.
      throwIfAborted(options.signal, `fine-tune ${info.id} before its first step`);
    } catch (e) {
      disposeParams(model.params);
      throw e;
    }
    const emit = (e: TrainEvent, buffers: ArrayBuffer[] = []) =>
      notify(onEvent, buffers.length ? this.transfer(e, buffers) : e);
    const every = options.snapshotEvery ?? DEFAULT_SNAPSHOT_EVERY;
    let trainer: Trainer | null = null;
    /** Whether this run has taken a step: until then it is still preparing. */
    let stepped = false;
    // Snapshots run one after another, so they reach the page in step order.
    let chain: Promise<void> = Promise.resolve();
    const snapshotNow = (state: TrainSnapshot['state']) => {
      const t = trainer;
      if (!t) return chain;
      chain = chain
        .then(async () => {
          const snapshot = await captureSnapshot({
            model,
            trainer: t,
            info,
            request,
            state,
            trainRows: dataset.train.n,
          });
          const buffers = [snapshot.weights, snapshot.config, snapshot.optimizer].map(
            (b) => b.buffer as ArrayBuffer,
          );
          emit({ type: 'snapshot', snapshot }, buffers);
        })
        .catch((e) => console.warn(`training snapshot of ${info.id} failed:`, e));
      return chain;
    };
    try {
      trainer = createTrainer(
        model,
        dataset,
        trainConfigOf(request),
        {
          onLog: (log) => emit({ type: 'log', log }),
          onEval: (log) => emit({ type: 'eval', log }),
          onStep: (step) => {
            // The first step's evaluation may end after a pause: a paused run stays paused.
            if (!stepped && trainer?.state === 'running')
              emit({ type: 'state', state: 'running', step });
            stepped = true;
            return every > 0 && step % every === 0 && step < request.steps
              ? snapshotNow('running')
              : undefined;
          },
          signal: options.signal,
        },
        resume,
      );
    } catch (e) {
      // The model's variables were made for this run (copies) and are not registered yet.
      disposeParams(model.params);
      throw e;
    }
    const t = trainer;
    // The revision is the step: the model is trained in place, so its weights move with it.
    const current = (): ModelInfo => ({ ...info, revision: t.step });
    const checkpointNow = () => emit({ type: 'checkpoint', model: current() });
    this.trainer = trainer;
    this.emit = emit;
    this.snapshotNow = snapshotNow;
    this.checkpointNow = checkpointNow;
    this.models.add(info, model);
    this.models.track(info.id, () => t.step);
    checkpointNow();
    // Running once the first step is done (onStep): that step compiles the kernels.
    emit({ type: 'preparing', phase: 'first-step' });
    try {
      const outcome = await trainer.run();
      await snapshotNow(outcome);
      checkpointNow();
      emit({ type: 'state', state: outcome, step: trainer.step });
      return current();
    } catch (e) {
      if (options.signal?.aborted) {
        // Aborted: nobody wants this run, so its model goes (after a snapshot still being taken).
        await chain;
        await this.models.remove(info.id);
      }
      throw e;
    } finally {
      trainer.dispose();
      // A run abandoned after a device loss may end after the next one started.
      if (this.trainer === trainer) {
        this.trainer = null;
        this.snapshotNow = async () => undefined;
        this.checkpointNow = () => undefined;
        this.models.settle(info.id);
      }
    }
  }

  /**
   * The device under the run was lost: stop it, and let a new run (its resume on the next backend)
   * start even before this one has noticed.
   */
  abandon(): void {
    this.trainer?.stop();
    this.trainer = null;
    this.snapshotNow = async () => undefined;
    this.checkpointNow = () => undefined;
  }

  pause(): void {
    if (!this.trainer) return;
    this.trainer.pause();
    // The weights hold still until resumed: the page may settle its views on this revision.
    this.checkpointNow();
    this.emit({ type: 'state', state: 'paused', step: this.trainer.step });
    void this.snapshotNow('paused');
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
