// The engine methods that fine-tune a classifier or a language model, mixed into EngineApi
// (api.ts): one fine-tune at a time, of either kind, which pause, resume and stop reach.
import type { ModelInfo, TrainEvent, TrainRequest } from '../apiTypes';
import type { Dataset, TextEncoder } from '../data/types';
import type { EngineApi, OnProgress } from '../engineApi';
import type { LoadedModel } from '../pipeline/evaluate';
import type { ModelConfig } from '../model/config';
import type { BackendGuard } from './backendGuard';
import type { LmTrainingSession } from './lmTraining';
import type { ModelRegistry } from './models';
import { notify, type SessionTrainingOptions, type TrainingSession } from './training';
import { userDataView } from './userDataView';
import type { UserDatasets } from './userDatasets';

export type TrainingApi = Pick<
  EngineApi,
  'startTraining' | 'startLmTraining' | 'pauseTraining' | 'resumeTraining' | 'stopTraining'
>;

export interface TrainingApiDeps {
  /** Throws unless init() has started a backend. */
  requireBackend(): void;
  /** Runs `call` with the signal of `task`, which abortTask(task) aborts. */
  withTask<T>(task: string | undefined, call: (signal?: AbortSignal) => Promise<T>): Promise<T>;
  /** Runs an engine call so that a device loss interrupts it cleanly. */
  guarded: BackendGuard['run'];
  /** The classifiers' run (device recovery reaches it too, so the engine owns it). */
  training: TrainingSession;
  lmTraining: LmTrainingSession;
  models: ModelRegistry;
  userDatasets: Pick<UserDatasets, 'dataset'>;
  /** Loads the models' and datasets' manifests (once). */
  loadCatalogue(): Promise<unknown>;
  /** A dataset by name, built-in or the user's, as stored. */
  dataset(name: string): Promise<Dataset>;
  /** A model and the dataset read through a view made for it; throws when they do not fit. */
  modelAndData(
    modelId: string,
    datasetName: string,
    onProgress: OnProgress | undefined,
    newHeadAllowed: boolean,
  ): Promise<{ model: LoadedModel; data: Dataset }>;
  /** The tokenizer a text model reads a user's raw texts with. */
  textEncoderOf(modelId: string): Promise<TextEncoder | undefined>;
  /** Tokenizers of fine-tunes made on a user's texts; textEncoderOf reads them too. */
  fineTuneEncoders: Map<string, TextEncoder>;
}

export function createTrainingApi(deps: TrainingApiDeps): TrainingApi {
  const { requireBackend, withTask, guarded, training, lmTraining } = deps;
  return {
    async startTraining(request, onEvent, options = {}) {
      // Pause and stop reach whichever run is live, so only one kind runs at a time.
      if (lmTraining.running)
        throw new Error('a language-model fine-tune is running: stop it before starting another');
      return withTask(options.task, (signal) =>
        guarded(() => startTraining(deps, request, onEvent, { ...options, signal })),
      );
    },
    async startLmTraining(request, onEvent, options = {}) {
      requireBackend();
      if (training.running)
        throw new Error('a classifier fine-tune is running: stop it before starting another');
      return withTask(options.task, (signal) =>
        guarded(() => lmTraining.start(request, onEvent, { ...options, signal })),
      );
    },
    // One fine-tune at a time, of either kind (the starts refuse): these reach the live one.
    async pauseTraining() {
      training.pause();
      lmTraining.pause();
    },
    async resumeTraining() {
      training.resume();
      lmTraining.resume();
    },
    async stopTraining() {
      training.stop();
      lmTraining.stop();
    },
  };
}

async function startTraining(
  deps: TrainingApiDeps,
  request: TrainRequest,
  onEvent: (e: TrainEvent) => void,
  options: SessionTrainingOptions,
): Promise<ModelInfo> {
  const { training, models, fineTuneEncoders } = deps;
  notify(onEvent, { type: 'preparing', phase: 'dataset' });
  if (options.resumeFrom) {
    // A resumed run needs only its dataset: its weights come with the snapshot.
    deps.requireBackend();
    await deps.loadCatalogue();
    const stored = await deps.dataset(request.dataset);
    const id = options.resumeFrom.model?.id;
    const base = request.baseModelId;
    // A user's rows are read through the resumed model's own view, as its first run read them.
    const view = async (config: ModelConfig) => {
      if (!deps.userDatasets.dataset(request.dataset)) return stored;
      const data = await userDataView(
        config,
        stored,
        async () =>
          fineTuneEncoders.get(id) ?? (models.has(base) ? deps.textEncoderOf(base) : undefined),
      );
      // The resumed model reads the user's texts with the same tokenizer later on.
      if (data.feed?.kind === 'text') fineTuneEncoders.set(id, data.feed.encoder);
      return data;
    };
    return training.resumeFrom(options.resumeFrom, view, request, onEvent, options);
  }
  // Other classes are fine here: the fine-tune starts a new head (training.ts).
  const { model, data } = await deps.modelAndData(
    request.baseModelId,
    request.dataset,
    undefined,
    true,
  );
  const info = models.info(request.baseModelId);
  const encoder = data.feed?.kind === 'text' ? data.feed.encoder : undefined;
  // The fine-tune reads the user's texts with its base model's tokenizer, then and later.
  const listen = encoder
    ? (e: TrainEvent) => {
        if (e.type === 'checkpoint') fineTuneEncoders.set(e.model.id, encoder);
        return onEvent(e);
      }
    : onEvent;
  return training.start(model, info, data, request, listen, options);
}
