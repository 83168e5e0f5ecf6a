import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONFIG_FILE, WEIGHTS_FILE } from '../engine/checkpoint';
import { loadModelSources } from '../engine/import/loadModelSources';
import { BUILTIN_DATASETS, loadBuiltinDataset } from '../engine/data/builtin';
import type { Dataset } from '../engine/data/types';
import type { LoadedModel } from '../engine/pipeline/evaluate';
import { checkpointSources } from './checkpointFolder';
import { UsageError } from './errors';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const PUBLIC_DIR = join(repoRoot, 'public');
const MODELS_DIR = join(PUBLIC_DIR, 'models');

/** The built-in checkpoints: folders of public/models holding a config.json. */
export function builtinModelNames(): string[] {
  if (!existsSync(MODELS_DIR)) return [];
  return readdirSync(MODELS_DIR)
    .filter((name) => existsSync(join(MODELS_DIR, name, CONFIG_FILE)))
    .sort();
}

/**
 * A model by built-in name (`mnist-aligned`) or by the path of a checkpoint folder: Strata's own,
 * or a Hugging Face ViT, DeiT or BERT classifier, in one model.safetensors or sharded.
 */
export async function resolveModel(spec: string): Promise<LoadedModel & { name: string }> {
  let folder: string;
  if (existsSync(spec) && statSync(spec).isDirectory()) folder = resolve(spec);
  else if (builtinModelNames().includes(spec)) folder = join(MODELS_DIR, spec);
  else {
    const names = builtinModelNames();
    throw new UsageError(
      `model "${spec}": not a checkpoint folder (${CONFIG_FILE} + ${WEIGHTS_FILE}) nor a built-in model` +
        (names.length
          ? ` (built-in: ${names.join(', ')})`
          : ' (no built-in models found; run `npm run train:models`)'),
    );
  }
  const source = existsSync(spec) ? folder : spec;
  let files;
  try {
    files = await checkpointSources(folder, source);
  } catch (e) {
    throw new UsageError(`model "${spec}": ${(e as Error).message}`);
  }
  // Streamed tensor by tensor: the weights are never in memory twice.
  const loaded = await loadModelSources(files);
  return {
    name: existsSync(spec) ? basename(folder) : spec,
    config: loaded.config,
    params: loaded.params,
  };
}

/** A built-in dataset by name. */
export async function resolveDataset(spec: string): Promise<Dataset> {
  if (!(BUILTIN_DATASETS as readonly string[]).includes(spec)) {
    throw new UsageError(
      `dataset "${spec}": not a built-in dataset (built-in: ${BUILTIN_DATASETS.join(', ')})`,
    );
  }
  return loadBuiltinDataset(spec, (path) =>
    readFile(join(PUBLIC_DIR, 'datasets', path)).then((b) => new Uint8Array(b)),
  );
}

/** Checks that a model reads a dataset: same kind of input, same number of classes. */
export function checkModelFitsDataset(
  model: LoadedModel,
  modelName: string,
  dataset: Dataset,
): void {
  const kind = model.config.architecture === 'vit' ? 'image' : 'text';
  if (kind !== dataset.kind) {
    throw new UsageError(
      `model "${modelName}" reads ${kind} input, but dataset "${dataset.name}" holds ${dataset.kind}`,
    );
  }
  if (model.config.numClasses !== dataset.classNames.length) {
    throw new UsageError(
      `model "${modelName}" has ${model.config.numClasses} classes, dataset "${dataset.name}" has ${dataset.classNames.length}`,
    );
  }
}
