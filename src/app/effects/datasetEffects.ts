// The model and dataset lists, and the dataset under study (counts and a preview).
import type { DatasetSummary } from '../../engine/apiTypes';
import type { EffectContext } from './context';
import { PRIORITY } from './context';
import { createEngineRunner } from './engineRunner';
import { progressTo } from './progress';
import { errorMessage, watch } from './watch';

/** Asks the engine for its models and datasets and hands them to the store. */
export async function loadCatalog({ engine, store }: EffectContext): Promise<void> {
  const { setTask, applyCatalog, addAlert } = store.getState();
  setTask('catalog', null);
  try {
    const [models, datasets] = await Promise.all([engine.listModels(), engine.listDatasets()]);
    applyCatalog(models, datasets);
    if (models.length === 0)
      addAlert('error', 'The engine lists no models: public/models is empty.');
  } catch (e) {
    addAlert('error', `Could not list the models and datasets: ${errorMessage(e)}`);
  } finally {
    setTask('catalog', undefined);
  }
}

export function connectDataset({ engine, store, queue }: EffectContext): () => void {
  const runner = createEngineRunner<string, DatasetSummary>(store, {
    channel: 'dataset',
    run: (name, signal) =>
      queue.run(
        PRIORITY.dataset,
        () => engine.loadDataset(name, progressTo(store, 'dataset'), signal),
        () => signal.aborted,
      ),
    onResult: (summary) => store.getState().setResults({ summary }),
    failed: (name) => `Could not load dataset ${name ?? ''}`,
  });
  const unwatch = watch(
    store,
    (s) => s.config.dataset,
    (name) => runner.request(name, name),
  );
  return () => {
    unwatch();
    runner.dispose();
  };
}
