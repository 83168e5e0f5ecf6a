import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatasetInfo, EngineApi, ModelInfo } from '../engine/api';
import { CONFIG_FILE, WEIGHTS_FILE } from '../engine/checkpoint';
import { freshModelId } from '../engine/session/modelImports';
import { checkpointFolderFiles } from './checkpointFolder';
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
 * The record a checkpoint is registered under: the engine fills in the sizes, heads and kind
 * from config.json, and the revision from the step written into the weights (0 when none).
 */
export function draftInfo(id: string, title: string, dataset: string): ModelInfo {
  return {
    id,
    title,
    dataset,
    loss: 'standard',
    revision: 0,
    numLayers: 0,
    hiddenSize: 0,
    numClasses: 0,
    kind: 'image',
    perLayerHeads: false,
    builtin: false,
  };
}

/** A model the engine knows: its id there, and its name in the CLI's outputs. */
export interface ResolvedModel {
  id: string;
  name: string;
  info: ModelInfo;
}

/**
 * A model by built-in name (`mnist-aligned`) or by the path of a checkpoint folder — Strata's own,
 * or a Hugging Face classifier, in one model.safetensors or sharded — which is registered with the
 * engine as a model of `dataset` (its weights streamed tensor by tensor from the files).
 */
export async function resolveModel(
  engine: EngineApi,
  spec: string,
  dataset: string,
): Promise<ResolvedModel> {
  const known = await engine.listModels();
  if (existsSync(spec) && statSync(spec).isDirectory()) {
    const folder = resolve(spec);
    let files;
    try {
      files = await checkpointFolderFiles(folder);
    } catch (e) {
      throw new UsageError(`model "${spec}": ${(e as Error).message}`);
    }
    const name = basename(folder);
    const id = freshModelId(name, new Set(known.map((m) => m.id)));
    const info = await engine.registerCheckpoint(draftInfo(id, name, dataset), files, folder);
    return { id, name, info };
  }
  const builtins = known.filter((m) => m.builtin);
  const info = builtins.find((m) => m.id === spec);
  if (info) return { id: info.id, name: spec, info };
  const names = builtins.map((m) => m.id).sort();
  throw new UsageError(
    `model "${spec}": not a checkpoint folder (${CONFIG_FILE} + ${WEIGHTS_FILE}) nor a built-in model` +
      (names.length
        ? ` (built-in: ${names.join(', ')})`
        : ' (no built-in models found; run `npm run train:models`)'),
  );
}

/** A built-in dataset by name. */
export async function resolveDataset(engine: EngineApi, spec: string): Promise<DatasetInfo> {
  const builtins = (await engine.listDatasets()).filter(
    (d) => (d.origin ?? 'builtin') === 'builtin',
  );
  const info = builtins.find((d) => d.name === spec);
  if (!info) {
    throw new UsageError(
      `dataset "${spec}": not a built-in dataset (built-in: ${builtins.map((d) => d.name).join(', ')})`,
    );
  }
  return info;
}

/** Checks that a model reads a dataset: same kind of input, same number of classes. */
export function checkModelFitsDataset(
  model: Pick<ModelInfo, 'kind' | 'numClasses'>,
  modelName: string,
  dataset: DatasetInfo,
): void {
  if (model.kind !== dataset.kind) {
    throw new UsageError(
      `model "${modelName}" reads ${model.kind} input, but dataset "${dataset.name}" holds ${dataset.kind}`,
    );
  }
  if (model.numClasses !== dataset.classNames.length) {
    throw new UsageError(
      `model "${modelName}" has ${model.numClasses} classes, dataset "${dataset.name}" has ${dataset.classNames.length}`,
    );
  }
}
