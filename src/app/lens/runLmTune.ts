// The LM fine-tune panel's run: the page's language model fine-tuned live by the engine on
// training text it never measures on, the lens on held-out text refreshing as it goes; the
// finished model listed in the LM picker and stored.
import type {
  LmTrainEvent,
  LmTrainRequest,
  LmTrainResult,
  LmTrainSnapshot,
} from '../../engine/apiTypes';
import { loadBuiltinDataset } from '../../engine/data/builtin';
import { lmFineTuneName } from '../../engine/decoder/lmRunName';
import { errorMessage } from '../effects/watch';
import type { Engine } from '../engineViews';
import { useStrata } from '../store';
import { pageEngine } from '../useEngine';
import { fetchAsset, type AssetReader } from './builtinLms';
import { heldOutIds } from './heldOutReviews';
import { useLens, type LanguageModel, type LensState } from './lensState';
import {
  LM_TUNE_EVAL_EVERY,
  LM_TUNE_EVAL_ROWS,
  LM_TUNE_MAX_LENGTH,
  useLmTune,
  type LmTuneRun,
  type LmTuneSettings,
} from './lmTuneState';
import { dropPausedLm, pausedLmRecord, pausedLmResume, savePausedLm } from './pausedLm';
import { SAMPLE_TEXTS, SAMPLE_TEXTS_SOURCE } from './sampleTexts';
import { keepTunedLm } from './tunedLms';

export type LmTuneEngine = Pick<
  Engine,
  'startLmTraining' | 'pauseTraining' | 'resumeTraining' | 'stopTraining'
>;

/** IMDB training reviews a built-in LM is fine-tuned on (a seeded sample; the lens reads test ones). */
export const BUILTIN_TRAIN_ROWS = 2000;

/**
 * What a model is fine-tuned and measured on. A built-in LM: IMDB training reviews, and the
 * held-out test reviews its lens reads. A dropped one: the lens's texts, the first quarter held out.
 */
export async function lmTuneData(
  model: LanguageModel,
  lens: Pick<LensState, 'texts' | 'maxLength'>,
  read: AssetReader = fetchAsset,
): Promise<Pick<LmTrainRequest, 'train' | 'heldOut'>> {
  if (model.builtin && model.defaultIds) {
    const imdb = await loadBuiltinDataset('imdb', (p) => read(`datasets/${p}`));
    const spec = { split: 'test' as const, rows: BUILTIN_TRAIN_ROWS, rowSeed: 'lm-finetune' };
    const seqLen = imdb.inputShape[0];
    const ids = heldOutIds(imdb.train.x, imdb.train.n, seqLen, spec, model.summary.vocabSize);
    return {
      train: { input: ids.arrays, inputSource: `imdb training reviews (${ids.n})` },
      heldOut: { input: model.defaultIds.arrays, inputSource: model.defaultIds.source },
    };
  }
  const texts = lens.texts ?? { source: SAMPLE_TEXTS_SOURCE, texts: [...SAMPLE_TEXTS] };
  const held = Math.max(1, Math.floor(texts.texts.length / 4));
  if (texts.texts.length - held < 1)
    throw new Error(
      `${texts.source}: ${texts.texts.length} text(s), expected at least 2 (a quarter is held out)`,
    );
  const part = (list: string[], what: string) => ({
    text: { texts: list, source: `${texts.source} (${what})`, maxLength: lens.maxLength },
  });
  return {
    train: part(texts.texts.slice(held), `the last ${texts.texts.length - held}`),
    heldOut: part(texts.texts.slice(0, held), `the first ${held}, held out`),
  };
}

export function lmTuneRequest(
  model: LanguageModel,
  settings: LmTuneSettings,
  data: Pick<LmTrainRequest, 'train' | 'heldOut'>,
): LmTrainRequest {
  return {
    files: model.files,
    source: model.name,
    ...data,
    ...settings,
    seed: 0,
    maxLength: LM_TUNE_MAX_LENGTH,
    evalEvery: LM_TUNE_EVAL_EVERY,
    evalSamples: LM_TUNE_EVAL_ROWS.full,
    quickEvalSamples: LM_TUNE_EVAL_ROWS.quick,
  };
}

const patch = (p: Partial<LmTuneRun>) =>
  useLmTune.setState((s) => (s.run ? { run: { ...s.run, ...p } } : {}));

/** The pace of the running stretch only: restarted at each resume, so a pause never slows it. */
function paceOf(): (e: LmTrainEvent) => number | null | undefined {
  let from: { step: number; time: number } | null = null;
  return (e) => {
    if (e.type === 'state') {
      from = e.state === 'running' ? { step: e.step, time: performance.now() } : null;
      return null;
    }
    if (e.type !== 'log' || !from) return undefined;
    const seconds = (performance.now() - from.time) / 1000;
    return e.log.step > from.step && seconds > 0 ? (e.log.step - from.step) / seconds : undefined;
  };
}

/**
 * Starts the fine-tune of the page's language model with the panel's settings. Errors go to the
 * alert region; the page keeps its models and charts. Never throws.
 */
export async function startLmTune(engine: LmTuneEngine = pageEngine): Promise<void> {
  const lens = useLens.getState();
  const { model } = lens;
  const { settings, run } = useLmTune.getState();
  if (!model || (run && ACTIVE.includes(run.state))) return;
  // One paused run is kept: a new start replaces the one offered.
  void dropPausedLm();
  const name = lmFineTuneName({ source: model.name, ...settings, seed: 0 });
  setRun({ name, base: model.name, step: 0, steps: settings.steps, evals: [] });
  let request: LmTrainRequest;
  try {
    request = lmTuneRequest(model, settings, await lmTuneData(model, lens));
  } catch (e) {
    patch({ state: 'stopped' });
    useStrata.getState().addAlert('error', `Fine-tune of ${model.name} failed: ${errorMessage(e)}`);
    return;
  }
  await driveLmTune(engine, request, model.builtin);
}

/** Continues the paused run the page found stored, to its last step. Never throws. */
export async function resumePausedLmTune(engine: LmTuneEngine = pageEngine): Promise<void> {
  const { paused, run } = useLmTune.getState();
  if (!paused || (run && ACTIVE.includes(run.state))) return;
  const { request, resumeFrom } = pausedLmResume(paused);
  useLmTune.setState({ paused: null });
  setRun({
    name: paused.name,
    base: paused.base,
    step: resumeFrom.step,
    steps: request.steps,
    evals: paused.evals,
  });
  await driveLmTune(engine, request, paused.builtin, resumeFrom);
}

const ACTIVE: readonly LmTuneRun['state'][] = ['preparing', 'running', 'paused', 'stopping'];

function setRun(run: Pick<LmTuneRun, 'name' | 'base' | 'step' | 'steps' | 'evals'>): void {
  useLmTune.setState({
    run: { ...run, state: 'preparing', stepsPerSecond: null, snapshot: null },
  });
}

/** Runs `request` (from `resumeFrom` if given), storing each pause, keeping the model at the end. */
async function driveLmTune(
  engine: LmTuneEngine,
  request: LmTrainRequest,
  builtin: string | undefined,
  resumeFrom?: LmTrainSnapshot,
): Promise<void> {
  const pace = paceOf();
  let result: LmTrainResult;
  try {
    // The stored model is named by the base it came from, not its temporary id.
    result = await engine.startLmTraining(
      request,
      (e) => {
        const rate = pace(e);
        // A stop asked stays asked: a resume's 'running' may still be on its way.
        if (e.type === 'state')
          useLmTune.setState((st) =>
            st.run
              ? {
                  run: {
                    ...st.run,
                    step: e.step,
                    ...(st.run.state === 'stopping' ? {} : { state: e.state }),
                  },
                }
              : {},
          );
        else if (e.type === 'log')
          patch({ step: e.log.step, ...(rate !== undefined ? { stepsPerSecond: rate } : {}) });
        else if (e.type === 'eval')
          useLmTune.setState((s) =>
            s.run ? { run: { ...s.run, evals: [...s.run.evals, e.log] } } : {},
          );
        else if (e.type === 'snapshot') {
          patch({ snapshot: e.snapshot });
          const run = useLmTune.getState().run;
          // Kept for the next page load: a reload finds the run paused here.
          if (run) void pausedLmRecord(request, { ...run, builtin }, e.snapshot).then(savePausedLm);
        }
      },
      resumeFrom ? { resumeFrom } : {},
    );
  } catch (e) {
    patch({ state: 'stopped' });
    useStrata
      .getState()
      .addAlert('error', `Fine-tune of ${request.source} failed: ${errorMessage(e)}`);
    return;
  }
  await dropPausedLm();
  patch({ name: result.name, state: result.state, step: result.step, snapshot: result.snapshot });
  const bytes = async (f: { file: Blob } | undefined) =>
    f ? new Uint8Array(await f.file.arrayBuffer()) : undefined;
  const files: Record<string, Uint8Array> = {
    'config.json': result.config,
    'model.safetensors': result.snapshot.weights,
  };
  const tokenizer = await bytes(request.files.tokenizer);
  const tokenizerConfig = await bytes(request.files.tokenizerConfig);
  if (tokenizer) files['tokenizer.json'] = tokenizer;
  if (tokenizerConfig) files['tokenizer_config.json'] = tokenizerConfig;
  const title =
    result.state === 'stopped' ? `${result.name} (stopped at ${result.step})` : result.name;
  await keepTunedLm({ name: title, ...(builtin ? { builtin } : {}), files });
  useStrata.getState().addAlert('notice', `${title} is in the language model picker.`);
}

export async function pauseLmTune(engine: LmTuneEngine = pageEngine): Promise<void> {
  // The status says Paused when the engine does, after the step in flight: a Resume clicked
  // before then leaves a run that never paused.
  await engine.pauseTraining();
}

export async function resumeLmTune(engine: LmTuneEngine = pageEngine): Promise<void> {
  await engine.resumeTraining();
}

export async function stopLmTune(engine: LmTuneEngine = pageEngine): Promise<void> {
  patch({ state: 'stopping' });
  await engine.stopTraining();
}
