// Runs the language model's early exit: the teacher-forced sweep of every rule on the lens's
// texts (and the comparison model's on the same ones), and a greedy generation from a prompt.
// Each replaces what is on show only when it succeeds; Cancel ends it with a notice.
import type { GenerateRequest, ProgressEvent } from '../../engine/apiTypes';
import { PAD_ID, UNK_ID } from '../../engine/data/tokenizer';
import type { LmExitInputWords } from '../chartData/lmExits';
import type { LmExitEngine } from '../engineViews';
import { pageEngine } from '../useEngine';
import { useLens, type LensState } from './lensState';
import { useLmExit } from './lmExitState';
import { abortSlot, runInSlot } from './lmTaskSlot';
import { lensRequest } from './runLens';

type Slot = 'running' | 'generating';

const PHASES: Record<string, string> = {
  load: 'reading weights',
  exits: 'batches',
  tokens: 'tokens',
  generate: 'prompts',
};

/** Runs `work` in `slot` with progress and Cancel; errors and cancels go to the alert region. */
function runTask(
  slot: Slot,
  label: string,
  work: (signal: AbortSignal, onProgress: (e: ProgressEvent) => void) => Promise<void>,
): Promise<void> {
  const task = { label, phases: PHASES, unchanged: 'the view is unchanged' };
  return runInSlot(useLmExit, slot, task, (signal, progress) => work(signal, progress()));
}

/** What a sweep run now would be of: the lens's model, comparison and texts. */
export function lmExitInputs(
  state: Pick<LensState, 'model' | 'compare' | 'texts' | 'maxLength' | 'samples'>,
): LmExitInputWords | null {
  const { model } = state;
  if (!model) return null;
  const request = lensRequest(model, state);
  return {
    model: model.name,
    compare: state.compare?.name ?? null,
    textSource: request.text?.source ?? request.inputSource!,
    maxLength: request.text ? state.maxLength : null,
    samples: state.samples,
  };
}

/** Sweeps every rule on the lens's texts for the model and, with "Compare with", the second. */
export async function runLmExits(engine: LmExitEngine = pageEngine): Promise<void> {
  const lens = useLens.getState();
  const { model, compare } = lens;
  const inputs = lmExitInputs(lens);
  if (!model || !inputs || useLmExit.getState().running) return;
  const request = lensRequest(model, lens);
  const label = `Early exit of ${model.name}${compare ? ` and ${compare.name}` : ''}`;
  await runTask('running', label, async (signal, onProgress) => {
    const response = await engine.lmExits(request, onProgress, signal);
    const compareResponse = compare
      ? await engine.lmExits(
          { ...request, files: compare.files, source: compare.name },
          onProgress,
          signal,
        )
      : undefined;
    useLmExit.setState({
      result: { ...inputs, response, ...(compareResponse ? { compareResponse } : {}) },
    });
  });
}

/** Tokens a built-in LM never generates: [PAD] and [UNK]. */
export const BUILTIN_NEVER_GENERATED = [PAD_ID, UNK_ID] as const;

/** Greedy generation from the prompt with the chosen rule and threshold, one token at a time. */
export async function runGeneration(engine: LmExitEngine = pageEngine): Promise<void> {
  const { model } = useLens.getState();
  const { generation, generating } = useLmExit.getState();
  if (!model || generating) return;
  const settings = { ...generation };
  const request: GenerateRequest = {
    files: model.files,
    source: model.name,
    text: { texts: [settings.prompt], source: 'the prompt' },
    samples: 1,
    maxNew: settings.maxNew,
    rule: settings.rule,
    threshold: settings.threshold,
    // The built-in LMs' word vocabulary reads a fifth of review words as [UNK], their most likely
    // next token: greedy text would be [UNK] after [UNK].
    ...(model.builtin ? { suppress: [...BUILTIN_NEVER_GENERATED] } : {}),
  };
  await runTask('generating', `Generation by ${model.name}`, async (signal, onProgress) => {
    const response = await engine.generate(request, onProgress, signal);
    useLmExit.setState({ generated: { ...settings, model: model.name, response } });
  });
}

/** Cancel: the sweep stops between batches, the generation between two tokens. */
export function abortLmTask(slot: Slot): void {
  abortSlot(useLmExit, slot);
}
