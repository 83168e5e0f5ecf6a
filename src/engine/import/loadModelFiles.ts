// One loader for both kinds of checkpoint folder: Strata's own and Hugging Face's.
import { CONFIG_FILE, loadCheckpoint, type CheckpointFiles } from '../checkpoint';
import type { LoadedModel } from '../pipeline/evaluate';
import type { HfArchitecture } from './hfConfig';
import { importHuggingFace, parseConfigJson } from './huggingface';

/** A loaded model and the format it came in. */
export interface LoadedModelFiles extends LoadedModel {
  /** `strata` for Strata's own checkpoints, else the transformers class imported. */
  format: 'strata' | HfArchitecture;
  unusedTensors: string[];
  notes: string[];
}

/** Whether a parsed config.json is Strata's own: a `strata` key, or Strata's text model type. */
export function isStrataConfig(json: unknown): boolean {
  return (
    typeof json === 'object' &&
    json !== null &&
    ('strata' in json || (json as { model_type?: unknown }).model_type === 'strata-text')
  );
}

/**
 * Loads a checkpoint folder's two files held in memory (see loadModelSources.ts for the streamed
 * load of real-size ones). A config.json with a `strata` key (or Strata's text
 * model type) is Strata's own checkpoint; any other goes through {@link importHuggingFace}.
 */
export function loadModelFiles(files: CheckpointFiles): LoadedModelFiles {
  const json = parseConfigJson(files.config, `${files.source}/${CONFIG_FILE}`);
  if (isStrataConfig(json)) {
    return { ...loadCheckpoint(files), format: 'strata', unusedTensors: [], notes: [] };
  }
  const { architecture, ...model } = importHuggingFace(files);
  return { ...model, format: architecture };
}
