// Checkpoints are Hugging Face-layout folders: `model.safetensors` + `config.json`. Strata's own
// ViTs are ViTForImageClassification checkpoints; imported ones go through the same loader.
import { readSafetensors, writeSafetensors } from './io/safetensors';
import type { ModelConfig } from './model/config';
import { configFromJson, configToJson } from './model/configJson';
import { paramsFromNamedArrays, paramsToNamedArrays } from './model/namedArrays';
import type { LoadedModel } from './pipeline/evaluate';

export const WEIGHTS_FILE = 'model.safetensors';
export const CONFIG_FILE = 'config.json';

/** The two files of a checkpoint, as bytes. */
export interface CheckpointFiles {
  weights: Uint8Array;
  config: Uint8Array;
  /** Where they came from, for messages (a folder, a model name). */
  source: string;
}

/** Parses and validates a checkpoint; errors name the file and the tensor or field at fault. */
export function loadCheckpoint(files: CheckpointFiles): LoadedModel {
  const configName = `${files.source}/${CONFIG_FILE}`;
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(files.config));
  } catch (e) {
    throw new Error(`${configName}: not valid JSON (${(e as Error).message})`);
  }
  const config = configFromJson(json, configName);
  const weightsName = `${files.source}/${WEIGHTS_FILE}`;
  const { tensors } = readSafetensors(files.weights, weightsName);
  const params = paramsFromNamedArrays(tensors, config, { source: weightsName });
  return { config, params };
}

/**
 * Serialises a model to checkpoint files. `metadata` goes into the safetensors header
 * (string values only; e.g. the training recipe).
 */
export async function saveCheckpoint(
  model: LoadedModel,
  metadata: Record<string, string> = {},
): Promise<{ weights: Uint8Array; config: Uint8Array }> {
  const arrays = await paramsToNamedArrays(model.params, model.config);
  const weights = writeSafetensors(arrays, { format: 'pt', ...metadata });
  const config = new TextEncoder().encode(
    JSON.stringify(configToJson(model.config), null, 2) + '\n',
  );
  return { weights, config };
}

/** The safetensors metadata key under which a fine-tune's checkpoint records its step. */
export const STEP_METADATA = 'strata_step';

/**
 * The fine-tuning step a checkpoint's weights were taken at (its `strata_step` metadata), or
 * null when it records none or the header cannot be read (loadCheckpoint reports that).
 */
export function checkpointStep(weights: Uint8Array): number | null {
  try {
    if (weights.length < 8) return null;
    const view = new DataView(weights.buffer, weights.byteOffset, weights.byteLength);
    const length = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
    if (8 + length > weights.length) return null;
    const header = JSON.parse(new TextDecoder().decode(weights.subarray(8, 8 + length))) as {
      __metadata__?: Record<string, unknown>;
    };
    const step = Number(header.__metadata__?.[STEP_METADATA]);
    return Number.isSafeInteger(step) && step >= 0 ? step : null;
  } catch {
    return null;
  }
}

export type { ModelConfig };
