// Runs the layer similarity of the page's language model (and of its comparison, and across the
// two) on the lens's texts, with progress and Cancel; once a run is on show, a change of what it
// depends on runs it again, as the classifier view's heatmaps follow their controls.
import type { DecoderSimilarityRequest } from '../../engine/apiTypes';
import { LM_CKA_BATCH_SIZE, LM_RBF_T } from '../chartData/lmSimilarity';
import type { LmSimilarityEngine } from '../engineViews';
import { pageEngine } from '../useEngine';
import { useLens, type LanguageModel, type LensState } from './lensState';
import { lmSimilarityQuery } from './lmSimilarityCurrency';
import { abortSlot, alertTaskEnd, progressInto, releaseSlot } from './lmTaskSlot';
import { lmSimilarityKey, useLmSimilarity, type LmSimilaritySettings } from './lmSimilarityState';
import { lensRequest } from './runLens';

/** The abort reason of a run replaced by a newer one: it ends without a word. */
const SUPERSEDED = 'superseded by a newer layer-similarity run';

/** The engine request for `model` on the lens's texts: cosine and the chosen measure. */
export function lmSimilarityRequest(
  model: LanguageModel,
  lens: Pick<LensState, 'texts' | 'maxLength' | 'samples'>,
  settings: LmSimilaritySettings,
): DecoderSimilarityRequest {
  return {
    ...lensRequest(model, lens),
    pooling: settings.pooling,
    seed: settings.seed,
    metrics: ['cosine', settings.cka],
    analysisBatchSize: LM_CKA_BATCH_SIZE,
    rbfT: LM_RBF_T,
  };
}

const PHASES: Record<string, string> = { load: 'reading weights', 'hidden states': 'batches' };

/**
 * Runs the similarity of the page's LM, replacing a run in flight. The result replaces the last
 * one only when every part succeeds; an error goes to the alert region and the page keeps its
 * heatmaps; Cancel (abortLmSimilarity) ends it with a notice.
 */
export async function runLmSimilarity(engine: LmSimilarityEngine = pageEngine): Promise<void> {
  const lens = useLens.getState();
  const settings = useLmSimilarity.getState();
  const { model, compare } = lens;
  const query = lmSimilarityQuery(lens, settings);
  if (!model || !query) return;
  abortSlot(useLmSimilarity, 'running', SUPERSEDED);
  const controller = new AbortController();
  const label = `Layer similarity of ${model.name}${compare ? ` and ${compare.name}` : ''}`;
  useLmSimilarity.setState({
    running: { query, label, done: 0, total: 0, controller },
    gaveUp: null,
  });
  const of = (request: DecoderSimilarityRequest, step: string) =>
    engine.decoderSimilarity(
      request,
      progressInto(useLmSimilarity, 'running', controller, label, PHASES, step),
      controller.signal,
    );
  try {
    const request = lmSimilarityRequest(model, lens, settings);
    const response = await of(request, compare ? `${model.name} ` : '');
    let second;
    if (compare) {
      const other = { files: compare.files, source: compare.name };
      const own = await of({ ...request, ...other }, `${compare.name} `);
      // The same ids must mean the same tokens to both models (the engine refuses otherwise).
      const across =
        compare.summary.vocabSize === model.summary.vocabSize
          ? await of({ ...request, versus: other }, `${model.name} × ${compare.name} `)
          : null;
      second = { response: own, across };
    }
    useLmSimilarity.setState({
      result: { query, response, ...(second ? { compare: second } : {}) },
    });
  } catch (e) {
    if (controller.signal.reason === SUPERSEDED) return;
    useLmSimilarity.setState({ gaveUp: lmSimilarityKey(query) });
    alertTaskEnd(label, controller.signal, e, 'the heatmaps are unchanged');
  } finally {
    releaseSlot(useLmSimilarity, 'running', controller);
  }
}

/** Cancel: stops the similarity run in flight between batches. */
export function abortLmSimilarity(): void {
  abortSlot(useLmSimilarity, 'running');
}

/**
 * Once a run is on show, runs the similarity again whenever what it depends on changes (pooling,
 * measure, seed, the model, its comparison, the lens's texts and settings), unless a run of those
 * settings was cancelled or failed. Returns the unsubscribe.
 */
export function followLmSimilarity(engine: LmSimilarityEngine = pageEngine): () => void {
  const check = () => {
    const state = useLmSimilarity.getState();
    if (!state.result) return;
    const wanted = lmSimilarityQuery(useLens.getState(), state);
    if (!wanted) {
      abortSlot(useLmSimilarity, 'running', SUPERSEDED);
      return;
    }
    const key = lmSimilarityKey(wanted);
    if (state.running) {
      if (lmSimilarityKey(state.running.query) === key) return;
    } else if (key === lmSimilarityKey(state.result.query) || key === state.gaveUp) return;
    void runLmSimilarity(engine);
  };
  const offLens = useLens.subscribe(check);
  const offSelf = useLmSimilarity.subscribe(check);
  return () => {
    offLens();
    offSelf();
  };
}
