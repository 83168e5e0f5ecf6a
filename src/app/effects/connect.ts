// Connects the store to a running engine: config changes become engine requests, results come
// back into the store. Returns the controller the page's buttons use.
import type { ExplorerEngine } from '../engineViews';
import type { KeyValueStore } from '../persist/keyValueStore';
import { connectPersistence, type Persistence } from '../persist/persistence';
import type { TabCoordination } from '../persist/tabs';
import type { StrataStore } from '../store';
import { connectAcross } from './acrossEffects';
import { connectAgreement } from './agreementEffects';
import { connectAnalysis } from './analysisEffects';
import type { EffectContext } from './context';
import { connectDataset, loadCatalog } from './datasetEffects';
import { createEngineQueue } from './engineQueue';
import { connectExits } from './exitEffects';
import type { StreamFeed } from './streamFeed';
import { createTrainingController, type TrainingController } from './trainingController';

export interface ExplorerController {
  training: TrainingController;
  /** Saving fine-tunes in the browser; null when no storage was given. */
  persistence: Persistence | null;
  /**
   * After the engine lost its device (and the models only it held): loads the saved finished
   * fine-tunes again and refreshes the model list, so that the pickers offer only what is there.
   */
  afterDeviceLoss(): Promise<void>;
  /** Cancel of the model's analysis: the engine stops it, the previous result stays on show. */
  cancelAnalysis(): void;
  /** Stops every effect; results already in the store stay. */
  disconnect(): void;
}

export function connectExplorer(
  engine: ExplorerEngine,
  store: StrataStore,
  feed: StreamFeed,
  storage?: KeyValueStore,
  /** How this page agrees with the browser's other tabs on storage (one page alone by default). */
  tabs?: TabCoordination,
): ExplorerController {
  const ctx: EffectContext = { engine, store, queue: createEngineQueue() };
  // Order matters only for the first screen: the dataset and the main analysis go first.
  const disconnectDataset = connectDataset(ctx);
  const analysis = connectAnalysis(ctx);
  const disconnectExits = connectExits(ctx);
  const disconnectAcross = connectAcross(ctx);
  const disconnectAgreement = connectAgreement(ctx);
  const persistence = storage
    ? connectPersistence(
        ctx,
        storage,
        feed,
        () => training,
        () => loadCatalog(ctx),
        tabs,
      )
    : null;
  const training = createTrainingController(
    ctx,
    feed,
    { analyze: analysis.analyzeTraining, cancel: analysis.cancelTraining },
    () => loadCatalog(ctx),
    persistence ?? undefined,
  );
  void loadCatalog(ctx).then(() => persistence?.restore());
  return {
    training,
    persistence,
    async afterDeviceLoss() {
      // Saved fine-tunes come back from storage; what cannot leaves the pickers.
      if (persistence) await persistence.reloadFinished();
      else await loadCatalog(ctx);
    },
    cancelAnalysis: () => analysis.cancel(),
    disconnect() {
      persistence?.dispose();
      training.dispose();
      disconnectExits();
      disconnectAcross();
      disconnectAgreement();
      analysis.dispose();
      disconnectDataset();
    },
  };
}

// One per page: the Fine-tune and Session panels and a dropped session file reach it from outside
// the effects (tests connect their own and pass it where needed).
let current: ExplorerController | null = null;

/** The page's controller, or null before the engine is ready. */
export function getExplorer(): ExplorerController | null {
  return current;
}

export function setExplorer(controller: ExplorerController | null): void {
  current = controller;
}
