// Runs the logit lens of the page's language model on its texts, with progress and Cancel.
import type { LensRequest } from '../../engine/apiTypes';
import type { LensEngine } from '../engineViews';
import { pageEngine } from '../useEngine';
import { heldOutSource } from './heldOutReviews';
import { useLens, type LanguageModel, type LensState } from './lensState';
import { abortSlot, runInSlot } from './lmTaskSlot';
import { SAMPLE_TEXTS, SAMPLE_TEXTS_SOURCE } from './sampleTexts';

/**
 * The engine request the lens panel sends for `state`. Without a user's texts: a built-in LM's
 * held-out reviews (as ids, named with the count read), else the built-in sample texts.
 */
export function lensRequest(
  model: LanguageModel,
  state: Pick<LensState, 'texts' | 'maxLength' | 'samples'>,
): LensRequest {
  if (!state.texts && model.defaultIds)
    return {
      files: model.files,
      source: model.name,
      input: model.defaultIds.arrays,
      // The engine reads the first `samples` rows: the source says how many of them.
      inputSource: heldOutSource(Math.min(state.samples, model.defaultIds.n), model.defaultIds.n),
      samples: state.samples,
    };
  const texts = state.texts ?? { source: SAMPLE_TEXTS_SOURCE, texts: [...SAMPLE_TEXTS] };
  return {
    files: model.files,
    source: model.name,
    text: { texts: texts.texts, source: texts.source, maxLength: state.maxLength },
    samples: state.samples,
  };
}

const PHASES: Record<string, string> = { load: 'reading weights', lens: 'batches' };

/**
 * Runs the lens; its result replaces the last one only when it succeeds. An error goes to the
 * alert region and the page keeps its chart; Cancel (abortLens) ends it with a notice.
 */
export async function runLens(engine: LensEngine = pageEngine): Promise<void> {
  const state = useLens.getState();
  const { model } = state;
  if (!model || state.running) return;
  const request = lensRequest(model, state);
  const textSource = request.text?.source ?? request.inputSource!;
  const { compare } = state;
  const label = `Logit lens of ${model.name}${compare ? ` and ${compare.name}` : ''}`;
  const task = { label, phases: PHASES, unchanged: 'the chart is unchanged' };
  await runInSlot(useLens, 'running', task, async (signal, progress) => {
    const lensOf = (request: LensRequest, step: string) =>
      engine.lens(request, progress(step), signal);
    const response = await lensOf(request, compare ? `${model.name} ` : '');
    const second = compare
      ? {
          model: compare.name,
          // The same texts or ids as the first model's run.
          response: await lensOf(
            { ...request, files: compare.files, source: compare.name },
            `${compare.name} `,
          ),
        }
      : undefined;
    const { maxLength, samples } = state;
    useLens.setState({
      result: {
        model: model.name,
        textSource,
        maxLength,
        samples,
        response,
        ...(second ? { compare: second } : {}),
      },
    });
  });
}

/** Cancel: stops the lens run in flight between batches. */
export function abortLens(): void {
  abortSlot(useLens, 'running');
}
