// Resumable snapshots of a fine-tune: the weights as a checkpoint, AdamW's moments as a second
// safetensors file, and the step. Everything else about the run (lr schedule, data order) is a
// function of the request and the step, so these bytes are enough to continue the same run.
import type { Tensor } from '../tf';
import type { ModelInfo, TrainRequest, TrainSnapshot } from '../apiTypes';
import { loadCheckpoint, saveCheckpoint, STEP_METADATA } from '../checkpoint';
import { readSafetensors, writeSafetensors } from '../io/safetensors';
import { disposeParams, paramEntries, paramVariables } from '../model/params';
import type { LoadedModel } from '../pipeline/evaluate';
import type { Trainer, TrainerResume } from '../train/trainer';
import { cloneModel } from './models';

export const OPTIMIZER_FILE = 'optimizer.safetensors';
const STEP_KEY = 'adamw_step';

/** Names of the model's variables (Hugging Face names), in paramVariables order. */
function variableNames(model: LoadedModel): string[] {
  const byVariable = new Map(
    paramEntries(model.params, model.config).map((e) => [e.variable, e.spec.name]),
  );
  return paramVariables(model.params).map((v, i) => byVariable.get(v) ?? `variable_${i}`);
}

export interface SnapshotInput {
  model: LoadedModel;
  trainer: Trainer;
  info: ModelInfo;
  request: TrainRequest;
  state: TrainSnapshot['state'];
  /** Training rows, to say where the seeded data order stands. */
  trainRows: number;
}

/**
 * Takes a snapshot of a run. The weights and moments are copied synchronously before any
 * readback, so a step that runs while the bytes are being read cannot tear the snapshot.
 */
export async function captureSnapshot(input: SnapshotInput): Promise<TrainSnapshot> {
  const { model, trainer, request } = input;
  const step = trainer.step;
  const names = variableNames(model);
  const copy = cloneModel(model);
  const moments = trainer.captureOptimizer();
  const owned: Tensor[] = [...moments.m, ...moments.v];
  try {
    const files = await saveCheckpoint(copy, { [STEP_METADATA]: String(step) });
    const shapes = paramVariables(model.params).map((v) => v.shape);
    // sync point: a snapshot reads the optimiser's moments back once.
    const [m, v] = await Promise.all([
      Promise.all(moments.m.map((t) => t.data() as Promise<Float32Array>)),
      Promise.all(moments.v.map((t) => t.data() as Promise<Float32Array>)),
    ]);
    const arrays = names.flatMap((name, i) => [
      { name: `m.${name}`, dtype: 'float32' as const, shape: shapes[i], data: m[i] },
      { name: `v.${name}`, dtype: 'float32' as const, shape: shapes[i], data: v[i] },
    ]);
    const optimizer = writeSafetensors(arrays, { [STEP_KEY]: String(moments.step) });
    const batchesPerEpoch = Math.max(1, Math.floor(input.trainRows / request.batchSize));
    return {
      version: 1,
      // The weights below are of this step: the record names the same revision.
      model: { ...input.info, revision: step },
      request: { ...request },
      step,
      state: input.state,
      dataPosition: { epoch: Math.floor(step / batchesPerEpoch), batch: step % batchesPerEpoch },
      weights: files.weights,
      config: files.config,
      optimizer,
    };
  } finally {
    disposeParams(copy.params);
    owned.forEach((t) => t.dispose());
  }
}

const isCount = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;

/**
 * Checks a snapshot's fields (it may come from the page's storage, written by an older page);
 * errors name `source` and the field.
 */
export function validateSnapshot(snapshot: TrainSnapshot, source: string): void {
  const fail = (detail: string) => new Error(`${source}: ${detail}`);
  if (typeof snapshot !== 'object' || snapshot === null) throw fail('not a snapshot record');
  if (snapshot.version !== 1)
    throw fail(`version ${String(snapshot.version)}, expected 1 (written by another Strata?)`);
  const { request, step } = snapshot;
  if (typeof request !== 'object' || request === null) throw fail('the run request is missing');
  if (!isCount(request.steps) || !isCount(request.batchSize) || request.batchSize === 0)
    throw fail('request.steps and request.batchSize must be whole numbers');
  if (!isCount(step) || step > request.steps)
    throw fail(`step ${String(step)}, expected a whole number from 0 to ${request.steps}`);
  for (const key of ['weights', 'config', 'optimizer'] as const) {
    if (!(snapshot[key] instanceof Uint8Array)) throw fail(`${key} must be bytes (a Uint8Array)`);
  }
  if (typeof snapshot.model?.id !== 'string' || snapshot.model.id === '')
    throw fail('the model record has no id');
}

/**
 * The model and trainer state a snapshot holds. The caller owns the model (a registry entry);
 * on error nothing is left allocated.
 */
export function restoreSnapshot(
  snapshot: TrainSnapshot,
  source: string,
): { model: LoadedModel; resume: TrainerResume } {
  validateSnapshot(snapshot, source);
  const model = loadCheckpoint({ weights: snapshot.weights, config: snapshot.config, source });
  try {
    const file = `${source}/${OPTIMIZER_FILE}`;
    const { tensors, metadata } = readSafetensors(snapshot.optimizer, file);
    const byName = new Map(tensors.map((t) => [t.name, t]));
    const adamStep = Number(metadata[STEP_KEY]);
    if (!isCount(adamStep))
      throw new Error(`${file}: metadata "${STEP_KEY}" is ${metadata[STEP_KEY]}, expected a count`);
    const variables = paramVariables(model.params);
    const pick = (name: string, size: number) => {
      const t = byName.get(name);
      if (!t) throw new Error(`${file}: tensor "${name}" is missing`);
      if (t.dtype !== 'float32' || t.data.length !== size)
        throw new Error(
          `${file}: tensor "${name}" is ${t.dtype} with ${t.data.length} values, expected float32 with ${size}`,
        );
      return t.data as Float32Array;
    };
    const names = variableNames(model);
    const m = names.map((n, i) => pick(`m.${n}`, variables[i].size));
    const v = names.map((n, i) => pick(`v.${n}`, variables[i].size));
    return { model, resume: { step: snapshot.step, optimizer: { step: adamStep, m, v } } };
  } catch (e) {
    disposeParams(model.params);
    throw e;
  }
}
