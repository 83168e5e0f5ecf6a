// The weights of a reviewed model, loading in the background while the user reads its review:
// how far the load is, its Cancel, and "Use this model" pressed before it ended (queued).
import { create } from 'zustand';
import type { ProgressEvent } from '../../engine/apiTypes';
import { isTaskAborted } from '../../engine/tasks';
import type { ModelImportEngine } from '../engineViews';
import { errorMessage } from '../effects/watch';
import { useStrata } from '../store';
import { useImports } from './importState';
import { newReadId } from './readCancel';

export interface WeightsLoad {
  /** The staged model whose weights these are. */
  token: string;
  /** The engine's name of the load, for its Cancel. */
  readId: string;
  state: 'loading' | 'loaded';
  /** Bytes read of all, with tensors uploaded; null before the first tensor. */
  event: ProgressEvent | null;
  /** "Use this model" was pressed during the load: it opens when the load ends. */
  queued: boolean;
}

export const useWeightsLoad = create<{ load: WeightsLoad | null }>()(() => ({ load: null }));

const current = (token: string) => useWeightsLoad.getState().load?.token === token;

/**
 * Loads the weights of the staged model `token` in the background. A failure drops the staged
 * model with an alert; a Cancel (or a newer drop that replaced it) says nothing more.
 */
export async function loadWeightsInBackground(
  engine: Pick<ModelImportEngine, 'loadImportedWeights' | 'discardImportedModel'>,
  token: string,
  name: string,
): Promise<void> {
  const readId = newReadId();
  useWeightsLoad.setState({
    load: { token, readId, state: 'loading', event: null, queued: false },
  });
  try {
    await engine.loadImportedWeights(
      token,
      (event) =>
        useWeightsLoad.setState((s) =>
          s.load?.token === token && s.load.state === 'loading'
            ? { load: { ...s.load, event } }
            : {},
        ),
      readId,
    );
    if (current(token)) useWeightsLoad.setState((s) => ({ load: { ...s.load!, state: 'loaded' } }));
  } catch (e) {
    if (!current(token)) return;
    useWeightsLoad.setState({ load: null });
    if (useImports.getState().pendingModel?.token === token)
      useImports.setState({ pendingModel: null });
    engine.discardImportedModel(token).catch(() => undefined);
    if (!isTaskAborted(e))
      useStrata
        .getState()
        .addAlert(
          'error',
          `Model ${name} not imported: its weights could not be read: ${errorMessage(e)}`,
        );
  }
}

/** Cancel of the load: the engine stops it and frees what it read; the review goes too. */
export function cancelWeightsLoad(
  engine: Pick<ModelImportEngine, 'cancelRead' | 'discardImportedModel'>,
): void {
  const load = useWeightsLoad.getState().load;
  if (!load || load.state !== 'loading') return;
  useWeightsLoad.setState({ load: null });
  useImports.setState({ pendingModel: null });
  engine.cancelRead(load.readId).catch(() => undefined);
  engine.discardImportedModel(load.token).catch(() => undefined);
  useStrata.getState().addAlert('notice', 'Model import cancelled; its weights were freed.');
}
