import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONFIG_FILE, WEIGHTS_FILE } from '../engine/checkpoint';
import { loadModelFiles } from '../engine/import/loadModelFiles';
import { BUILTIN_DATASETS, loadBuiltinDataset } from '../engine/data/builtin';
import type { Dataset } from '../engine/data/types';
import type { LoadedModel } from '../engine/pipeline/evaluate';
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
 * or a Hugging Face ViT, DeiT or BERT classifier.
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
  for (const file of [CONFIG_FILE, WEIGHTS_FILE]) {
    if (!existsSync(join(folder, file)))
      throw new UsageError(`model "${spec}": ${join(folder, file)} is missing`);
  }
  const [weights, config] = await Promise.all([
    readFile(join(folder, WEIGHTS_FILE)),
    readFile(join(folder, CONFIG_FILE)),
  ]);
  const source = existsSync(spec) ? folder : spec;
  const loaded = loadModelFiles({ weights, config, source });
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
