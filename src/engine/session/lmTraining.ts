// The page's live fine-tune of a causal LM (built-in or dropped decoder files): the LM trainer
// (lmTrainer.ts) driven step by step so that it can pause, resume and stop, with the logit lens
// on held-out rows at steps 0, 1, 5, 10, every interval and the last. Ends with the model's files.
import type { DecoderFiles } from '../decoder/decoderApiTypes';
import { inputRows, type DecoderInput } from '../decoder/decoderInput';
import { disposeDecoderParams } from '../decoder/decoderWeights';
import { loadDecoder } from '../decoder/loadDecoder';
import { logitLens } from '../decoder/logitLens';
import { lmFineTuneName } from '../decoder/lmRunName';
import type {
  LmEvalLog,
  LmTrainEvent,
  LmTrainInput,
  LmTrainOptions,
  LmTrainRequest,
  LmTrainResult,
  LmTrainSnapshot,
} from '../decoder/lmTrainTypes';
import { throwIfAborted } from '../tasks';
import { evaluationAt } from '../train/evalSchedule';
import { lmResume, saveLmCheckpoint } from '../train/lmCheckpoint';
import { createLmTrainer, type LmTrainConfig, type LmTrainer } from '../train/lmTrainer';
import { DEFAULT_TRAIN_CONFIG } from '../train/trainConfig';
import { inputOf } from './decoderRequests';

export const DEFAULT_LM_EVAL_SAMPLES = 128;
export const DEFAULT_LM_QUICK_EVAL_SAMPLES = 32;

/** The trainer settings a request stands for (a resumed run rebuilds exactly these). */
export function lmTrainConfigOf(r: LmTrainRequest): LmTrainConfig {
  return {
    loss: r.loss,
    weighting: r.weighting,
    steps: r.steps,
    batchSize: r.batchSize,
    lr: r.lr,
    seed: r.seed,
    warmupSteps: r.warmupSteps ?? Math.min(20, Math.floor(r.steps / 10)),
    weightDecay: DEFAULT_TRAIN_CONFIG.weightDecay,
    clipNorm: DEFAULT_TRAIN_CONFIG.clipNorm,
    logEvery: 1,
  };
}

/** Rows cut to their first `length` positions (copies). */
function firstPositions(input: DecoderInput, length: number | undefined): DecoderInput {
  if (length === undefined || length >= input.t) return input;
  const { n, t } = input;
  const ids = new Int32Array(n * length);
  const mask = new Float32Array(n * length);
  for (let r = 0; r < n; r++) {
    ids.set(input.ids.subarray(r * t, r * t + length), r * length);
    mask.set(input.mask.subarray(r * t, r * t + length), r * length);
  }
  return { n, t: length, ids, mask };
}

/** The base's files with the weights of a snapshot in place of its own. */
export function filesWithWeights(files: DecoderFiles, weights: Uint8Array): DecoderFiles {
  const { shards: _shards, ...rest } = files;
  void _shards;
  const blob = new Blob([weights as Uint8Array<ArrayBuffer>]);
  return { ...rest, weights: { path: 'model.safetensors', file: blob } };
}

/** The one live LM fine-tune: start, pause, resume, stop. */
export class LmTrainingSession {
  private active: { paused: boolean; stopped: boolean; wake: () => void } | null = null;

  get running(): boolean {
    return this.active !== null;
  }

  /** Runs `request` to its last step or a stop; resolves with the model's files. */
  async start(
    request: LmTrainRequest,
    onEvent: (e: LmTrainEvent) => void,
    options: LmTrainOptions & { signal?: AbortSignal } = {},
  ): Promise<LmTrainResult> {
    if (this.active)
      throw new Error('a language-model fine-tune is already running: stop it first');
    const control = { paused: false, stopped: false, wake: () => undefined as void };
    this.active = control;
    try {
      return await this.run(request, onEvent, control, options);
    } finally {
      this.active = null;
    }
  }

  pause(): void {
    if (this.active) this.active.paused = true;
  }

  resume(): void {
    if (!this.active) return;
    this.active.paused = false;
    this.active.wake();
  }

  stop(): void {
    if (!this.active) return;
    this.active.stopped = true;
    this.active.wake();
  }

  private async run(
    request: LmTrainRequest,
    onEvent: (e: LmTrainEvent) => void,
    control: { paused: boolean; stopped: boolean; wake: () => void },
    options: LmTrainOptions & { signal?: AbortSignal },
  ): Promise<LmTrainResult> {
    const emit = (e: LmTrainEvent) => {
      try {
        Promise.resolve(onEvent(e)).catch(() => undefined);
      } catch {
        // the page went away: the run goes on
      }
    };
    const { signal, resumeFrom } = options;
    const what = `fine-tune of ${request.source}`;
    emit({ type: 'preparing', phase: 'model' });
    // An abort while paused wakes the loop, which then throws.
    signal?.addEventListener('abort', () => control.wake());
    const files = resumeFrom ? filesWithWeights(request.files, resumeFrom.weights) : request.files;
    const { params } = await loadDecoder(files);
    let trainer: LmTrainer | null = null;
    try {
      const read = async (part: LmTrainInput, name: string) =>
        (
          await inputOf(
            { ...part, files: request.files, source: `${request.source} ${name}` },
            params,
          )
        ).input;
      const train = firstPositions(await read(request.train, 'training input'), request.maxLength);
      const heldOut = await read(request.heldOut, 'held-out input');
      const full = inputRows(
        heldOut,
        0,
        Math.min(request.evalSamples ?? DEFAULT_LM_EVAL_SAMPLES, heldOut.n),
      );
      const quick = inputRows(
        full,
        0,
        Math.min(request.quickEvalSamples ?? DEFAULT_LM_QUICK_EVAL_SAMPLES, full.n),
      );
      const resume = resumeFrom
        ? lmResume(resumeFrom.optimizer, params, `${request.source} snapshot`)
        : undefined;
      const config = lmTrainConfigOf(request);
      trainer = createLmTrainer(
        params,
        train,
        config,
        { onLog: (log) => emit({ type: 'log', log }) },
        resume,
      );
      const t = trainer;
      const evaluate = async (kind: LmEvalLog['kind'], rows: DecoderInput) => {
        const lens = await logitLens(params, rows);
        emit({ type: 'eval', log: { step: t.step, kind, rows: rows.n, lens } });
      };
      const snapshot = async (): Promise<LmTrainSnapshot> => {
        const saved = await saveLmCheckpoint(params, t, { strata_run: lmFineTuneName(request) });
        return { step: t.step, weights: saved.weights, optimizer: saved.optimizer };
      };
      if (!resume) await evaluate('before', quick);
      emit({ type: 'preparing', phase: 'first-step' });
      let announced = false;
      while (t.step < config.steps && !control.stopped) {
        // A macrotask between steps: on wasm a step's readback resolves without one, and pause,
        // resume and stop arrive as messages (the worker's) that only a macrotask lets in.
        await new Promise<void>((next) => setTimeout(next, 0));
        if (control.stopped) break;
        throwIfAborted(signal, what);
        if (control.paused) {
          emit({ type: 'state', state: 'paused', step: t.step });
          emit({ type: 'snapshot', snapshot: await snapshot() });
          await new Promise<void>((wake) => {
            control.wake = wake;
            // Resumed (or stopped) while the snapshot was being read.
            if (!control.paused || control.stopped || signal?.aborted) wake();
          });
          control.wake = () => undefined;
          if (!control.stopped) emit({ type: 'state', state: 'running', step: t.step });
          continue;
        }
        await t.trainStep();
        if (!announced) emit({ type: 'state', state: 'running', step: t.step });
        announced = true;
        const kind = evaluationAt(t.step, request.evalEvery, config.steps);
        if (kind) await evaluate(kind, kind === 'full' ? full : quick);
      }
      // A stopped run is measured on every held-out row too, unless it never stepped.
      const stoppedEarly = t.step < config.steps;
      if (stoppedEarly && t.step > (resume?.step ?? 0)) await evaluate('full', full);
      const bytes = await readConfig(request.files);
      return {
        name: lmFineTuneName(request),
        state: stoppedEarly ? 'stopped' : 'done',
        step: t.step,
        config: bytes,
        snapshot: await snapshot(),
      };
    } finally {
      trainer?.dispose();
      disposeDecoderParams(params);
    }
  }
}

async function readConfig(files: DecoderFiles): Promise<Uint8Array> {
  return new Uint8Array(await files.config.file.arrayBuffer());
}
