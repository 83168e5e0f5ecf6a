// What the similarity section asks for now, and whether its heatmaps show it: the page's rule
// (state/currency.ts) applied to a language model's run. A picture of other settings is dimmed,
// its caption says what it is updating for, and it is not exported.
import { metricLabel } from '../chartData/similarity';
import { lagOf, type Words } from '../state/currency';
import type { LensState } from './lensState';
import type {
  LmSimilarityQuery,
  LmSimilaritySettings,
  LmSimilarityState,
} from './lmSimilarityState';
import { lensRequest } from './runLens';

type LensInputs = Pick<LensState, 'model' | 'compare' | 'texts' | 'maxLength' | 'samples'>;

/** The query the section's settings and the lens's texts make now; null without a model. */
export function lmSimilarityQuery(
  lens: LensInputs,
  settings: LmSimilaritySettings,
): LmSimilarityQuery | null {
  const { model } = lens;
  if (!model) return null;
  const request = lensRequest(model, lens);
  const available = request.text ? request.text.texts.length : (model.defaultIds?.n ?? 0);
  return {
    model: model.name,
    compare: lens.compare?.name ?? null,
    textSource: request.text?.source ?? request.inputSource ?? 'token ids',
    samples: Math.min(lens.samples, available),
    maxLength: request.text ? lens.maxLength : null,
    pooling: settings.pooling,
    cka: settings.cka,
    seed: settings.seed,
  };
}

/** Every field of a query that changes its numbers, in words. */
export function lmSimilarityWords(q: LmSimilarityQuery): Words {
  return {
    model: q.model,
    compare: q.compare ? `versus ${q.compare}` : 'no comparison',
    texts: q.textSource,
    samples: `N = ${q.samples.toLocaleString('en-US')}`,
    ...(q.maxLength === null ? {} : { maxLength: `${q.maxLength} tokens per text` }),
    pooling: `${q.pooling} pooling`,
    cka: metricLabel(q.cka),
    ...(q.pooling === 'tokens' ? { seed: `seed ${q.seed}` } : {}),
  };
}

/**
 * Null when the heatmaps on show are of what the controls ask for now (or none is on show), else
 * "updating… for tokens pooling (out of date: computed for last pooling)"; once a run of those
 * settings was cancelled or failed, it says that Run computes them.
 */
export function lmSimilarityStaleness(lens: LensInputs, state: LmSimilarityState): string | null {
  const shown = state.result?.query;
  if (!shown) return null;
  const wanted = lmSimilarityQuery(lens, state);
  const lag = lagOf(lmSimilarityWords(shown), wanted && lmSimilarityWords(wanted));
  if (!lag) return null;
  const next =
    lag.wanted === null
      ? 'nothing chosen now'
      : `${state.running ? 'updating…' : 'Run to update'} for ${lag.wanted}`;
  return `${next} (out of date: computed for ${lag.shown})`;
}
