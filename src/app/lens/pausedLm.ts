// A paused LM fine-tune kept across reloads: its request (the base's small files, training and
// held-out input, settings), the snapshot of its pause and the evaluations so far, one record in
// the `strata-lm` store beside the finished models. After a reload the panel offers to resume it.
import type { DecoderFiles, LmTrainRequest, LmTrainSnapshot } from '../../engine/apiTypes';
import { errorMessage } from '../effects/watch';
import { useStrata } from '../store';
import { useLmTune, type LmTuneRun, type PausedLmRecord, type StoredFile } from './lmTuneState';
import { tunedLmStore } from './tunedLms';

/** Not under the `lm:` prefix: the picker never lists it. */
export const PAUSED_LM_KEY = 'paused-run';

const stored = async (f: { path: string; file: Blob } | undefined) =>
  f ? { path: f.path, bytes: new Uint8Array(await f.file.arrayBuffer()) } : undefined;
const blob = (f: StoredFile) => ({
  path: f.path,
  file: new Blob([f.bytes as Uint8Array<ArrayBuffer>]),
});

/** The stored record of a run paused at `snapshot` (the base's weights are not kept). */
export async function pausedLmRecord(
  request: LmTrainRequest,
  run: Pick<LmTuneRun, 'name' | 'base' | 'evals'> & { builtin?: string },
  snapshot: LmTrainSnapshot,
): Promise<PausedLmRecord> {
  const { files, ...rest } = request;
  const tokenizer = await stored(files.tokenizer);
  const tokenizerConfig = await stored(files.tokenizerConfig);
  return {
    name: run.name,
    base: run.base,
    ...(run.builtin ? { builtin: run.builtin } : {}),
    request: {
      ...rest,
      files: {
        config: (await stored(files.config))!,
        ...(tokenizer ? { tokenizer } : {}),
        ...(tokenizerConfig ? { tokenizerConfig } : {}),
      },
    },
    evals: run.evals.filter((e) => e.step <= snapshot.step),
    snapshot,
    savedAt: new Date().toISOString(),
  };
}

/** The request that continues a stored run, and the snapshot it continues from. */
export function pausedLmResume(record: PausedLmRecord): {
  request: LmTrainRequest;
  resumeFrom: LmTrainSnapshot;
} {
  const { config, tokenizer, tokenizerConfig } = record.request.files;
  // The snapshot's weights are the model's: the engine loads them in place of the base's.
  const files: DecoderFiles = {
    config: blob(config),
    weights: blob({ path: 'model.safetensors', bytes: record.snapshot.weights }),
    ...(tokenizer ? { tokenizer: blob(tokenizer) } : {}),
    ...(tokenizerConfig ? { tokenizerConfig: blob(tokenizerConfig) } : {}),
  };
  return {
    request: { ...record.request, files },
    resumeFrom: record.snapshot,
  };
}

const isPaused = (x: unknown): x is PausedLmRecord => {
  const r = x as PausedLmRecord;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.name === 'string' &&
    typeof r.request?.steps === 'number' &&
    r.request.files?.config?.bytes instanceof Uint8Array &&
    typeof r.snapshot?.step === 'number' &&
    r.snapshot.weights instanceof Uint8Array &&
    r.snapshot.optimizer instanceof Uint8Array &&
    Array.isArray(r.evals)
  );
};

/** Stores the paused run for the next page load; a failed write says so once. Never throws. */
export async function savePausedLm(record: PausedLmRecord): Promise<void> {
  try {
    await tunedLmStore().set(PAUSED_LM_KEY, record);
  } catch (e) {
    useStrata
      .getState()
      .addAlert(
        'notice',
        `${record.name} paused at step ${record.snapshot.step} is kept for this session only: the browser did not store it (${errorMessage(e)}).`,
      );
  }
}

/** Offers the stored paused run, if any, in the LM fine-tune panel. Never throws. */
export async function restorePausedLm(): Promise<void> {
  try {
    const record = await tunedLmStore().get<unknown>(PAUSED_LM_KEY);
    if (isPaused(record)) useLmTune.setState({ paused: record });
  } catch {
    // No IndexedDB: nothing can have been stored.
  }
}

/** Forgets the stored paused run (discarded, finished, or replaced by a new start). */
export async function dropPausedLm(): Promise<void> {
  useLmTune.setState({ paused: null });
  try {
    await tunedLmStore().del(PAUSED_LM_KEY);
  } catch {
    // No IndexedDB: nothing was stored.
  }
}
