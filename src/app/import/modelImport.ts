// Users' checkpoints (issue 6): the dropped files are sorted into config.json, weights and
// tokenizer here; the worker reads and checks them and stages the model; the page shows its
// summary; "Use this model" lists it and opens it on a dataset that can feed it.
import type {
  DatasetFit,
  DatasetInfo,
  ModelImportRequest,
  ModelImportSummary,
} from '../../engine/apiTypes';
import { PICKLE_WEIGHTS, pickleWeightsMessage } from '../../engine/import/pickleWeights';
import { INDEX_FILE } from '../../engine/import/shardIndex';
import { errorMessage } from '../effects/watch';
import { useStrata } from '../store';
import { retryOnDeviceLoss } from '../effects/deviceLoss';
import type { ImportEngine, ModelImportEngine } from '../engineViews';
import { pageEngine } from '../useEngine';
import { stillReadingMessage, useImports } from './importState';
import type { DroppedFile } from './types';
import { loadWeightsInBackground, useWeightsLoad } from './weightsLoad';

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);
const folderOf = (path: string) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');
const listed = (files: readonly DroppedFile[]) =>
  files
    .slice(0, 6)
    .map((f) => f.path)
    .join(', ') + (files.length > 6 ? `, … (${files.length} files)` : '');
const importFile = (f: DroppedFile) => ({ path: f.path, file: f.file });

/**
 * Sorts a drop into one checkpoint: exactly one config.json; the weights as one .safetensors file
 * (model.safetensors preferred) or model.safetensors.index.json with its shards; at most one
 * tokenizer (tokenizer.json or vocab.txt). The worker streams the weights, so their size is not
 * limited here. Throws an Error whose message names the files and what was expected.
 */
export function checkpointRequest(files: readonly DroppedFile[]): ModelImportRequest {
  const configs = files.filter((f) => baseName(f.path) === 'config.json');
  if (configs.length === 0)
    throw new Error(
      `${listed(files)}: no config.json; a model needs its config.json and model.safetensors (as save_pretrained writes them)`,
    );
  if (configs.length > 1)
    throw new Error(
      `${configs.map((f) => f.path).join(', ')}: ${configs.length} config.json files; drop one model at a time`,
    );
  const weights = files.filter((f) => f.path.toLowerCase().endsWith('.safetensors'));
  const index = files.find((f) => baseName(f.path) === INDEX_FILE);
  const plain = weights.filter((f) => baseName(f.path) === 'model.safetensors');
  const chosen = plain.length === 1 ? plain[0] : weights.length === 1 ? weights[0] : null;
  if (!chosen && !index) {
    const pickle = files.find((f) => PICKLE_WEIGHTS.test(f.path));
    if (weights.length === 0 && pickle) throw new Error(pickleWeightsMessage(pickle.path));
    throw new Error(
      weights.length === 0
        ? `${configs[0].path}: no weights beside it; expected model.safetensors (or ${INDEX_FILE} with its shards)`
        : `${weights.map((f) => f.path).join(', ')}: ${weights.length} weight files and no ${INDEX_FILE}; expected one model.safetensors, or the shards with their index`,
    );
  }
  const tokenizers = files.filter((f) =>
    ['tokenizer.json', 'vocab.txt'].includes(baseName(f.path)),
  );
  const tokenizer =
    tokenizers.find((f) => baseName(f.path) === 'tokenizer.json') ?? tokenizers[0] ?? undefined;
  const weightsFile = chosen ?? index!;
  const name =
    baseName(folderOf(configs[0].path)) ||
    baseName(weightsFile.path).replace(/(\.index\.json|\.safetensors)$/i, '') ||
    'model';
  const request: ModelImportRequest = {
    name,
    config: importFile(configs[0]),
    weights: importFile(weightsFile),
  };
  if (!chosen) request.shards = weights.map(importFile);
  if (tokenizer) request.tokenizer = importFile(tokenizer);
  return request;
}

/**
 * The dataset a staged model opens on: the current one when it fits, else the first that does. A
 * user's dataset listed after the model was read fits a model of its kind (one that reads text
 * needs its tokenizer): the model adapts it as it reads it.
 */
export function datasetFor(
  summary: ModelImportSummary,
  current: string | null,
  datasets: readonly DatasetInfo[] = [],
): { fit: DatasetFit | null; keepsCurrent: boolean } {
  const here = summary.datasets.find((d) => d.dataset === current);
  if (here?.fits) return { fit: here, keepsCurrent: true };
  const user = datasets.find((d) => d.name === current && d.origin === 'user');
  const reads = summary.kind === 'image' || (!!summary.tokenizer && !summary.tokenizerLimit);
  if (!here && user?.kind === summary.kind && reads)
    return { fit: { dataset: user.name, fits: true }, keepsCurrent: true };
  return { fit: summary.datasets.find((d) => d.fits) ?? null, keepsCurrent: false };
}

/** "an image dataset of 28×28×1 images with 10 classes" — what the model needs, in words. */
export function neededDataset(summary: ModelImportSummary): string {
  if (summary.kind === 'text' && summary.tokenizerLimit)
    return `a text dataset with ${summary.numClasses} classes re-encoded with the model's own tokenizer, which cannot be done here: ${summary.tokenizerLimit}`;
  if (summary.kind === 'text')
    return `a text dataset with ${summary.numClasses} classes, tokenised with the model's own tokenizer (${summary.tokenizer ? summary.tokenizer.file : 'tokenizer.json or vocab.txt, not dropped'})`;
  return `an image dataset of ${summary.inputShape.join('×')} (H×W×C) images with ${summary.numClasses} classes`;
}

/**
 * The drop zone's importer of models: validates, has the worker review the checkpoint from its
 * config and header (a moment, whatever its size) and shows that summary, then loads the weights
 * in the background (weightsLoad.ts). Reports any problem in the alert region and changes
 * nothing; never throws.
 */
export async function importModelFiles(
  files: readonly DroppedFile[],
  engine: ModelImportEngine = pageEngine,
): Promise<void> {
  const { addAlert } = useStrata.getState();
  const imports = useImports.getState();
  if (imports.progress) {
    const dropped = files.map((f) => f.path).join(', ');
    addAlert('error', stillReadingMessage(dropped, imports.progress.label));
    return;
  }
  let summary: ModelImportSummary;
  try {
    const request = checkpointRequest(files);
    useImports.setState({ progress: { label: `Reading model ${request.name}`, event: null } });
    // A device loss interrupts the read: the engine reads it again on its next backend.
    summary = await retryOnDeviceLoss(() =>
      engine.reviewModel(request, (event) =>
        useImports.setState((s) => (s.progress ? { progress: { ...s.progress, event } } : {})),
      ),
    );
  } catch (e) {
    addAlert('error', `Model not imported: ${errorMessage(e)}`);
    return;
  } finally {
    useImports.setState({ progress: null });
  }
  const previous = useImports.getState().pendingModel;
  useImports.setState({ pendingModel: summary });
  if (previous) void discard(engine, previous.token);
  void loadWeightsInBackground(engine, summary.token, summary.name);
}

async function discard(
  engine: Pick<ImportEngine, 'discardImportedModel'>,
  token: string,
): Promise<void> {
  try {
    await engine.discardImportedModel(token);
  } catch {
    // The staged model only costs memory; the worker may have gone away.
  }
}

/** "Cancel": drops the staged model, stopping the load of its weights. */
export async function cancelImportedModel(engine: ModelImportEngine = pageEngine): Promise<void> {
  const pending = useImports.getState().pendingModel;
  if (!pending) return;
  useImports.setState({ pendingModel: null });
  const load = useWeightsLoad.getState().load;
  if (load?.token === pending.token) {
    useWeightsLoad.setState({ load: null });
    if (load.state === 'loading') engine.cancelRead(load.readId).catch(() => undefined);
  }
  await discard(engine, pending.token);
}

/**
 * "Use this model": lists the staged model as a model of the dataset that fits (the current one
 * when it does, else the first that does, with a notice), opens it, and leaves the
 * analysis-only view. Reports problems and keeps the page as it was.
 */
export async function adoptImportedModel(engine: ModelImportEngine = pageEngine): Promise<void> {
  const { addAlert } = useStrata.getState();
  const pending = useImports.getState().pendingModel;
  if (!pending) return;
  const { config, results } = useStrata.getState();
  const { fit, keepsCurrent } = datasetFor(pending, config.dataset, results.datasets);
  if (!fit) {
    addAlert(
      'error',
      `Model ${pending.name} needs ${neededDataset(pending)}; none of the datasets fits. Drop such a dataset first.`,
    );
    return;
  }
  // Pressed while the weights load: the engine opens the model once they are in.
  useWeightsLoad.setState((s) =>
    s.load?.token === pending.token && s.load.state === 'loading'
      ? { load: { ...s.load, queued: true } }
      : {},
  );
  try {
    const info = await engine.useImportedModel(pending.token, fit.dataset);
    // A text model reads its own re-encoded copy of the dataset, listed as a dataset of its own.
    const datasets = info.dataset === fit.dataset ? undefined : await engine.listDatasets();
    const { results, applyCatalog, selectModel } = useStrata.getState();
    applyCatalog([...results.models.filter((m) => m.id !== info.id), info], datasets);
    selectModel(info.id);
    useImports.setState({ pendingModel: null, activations: null });
    useWeightsLoad.setState({ load: null });
    const all = datasets ?? results.datasets;
    const title = all.find((d) => d.name === info.dataset)?.title ?? info.dataset;
    const why = keepsCurrent
      ? ''
      : ` It needs ${neededDataset(pending)}, which the previous dataset is not.`;
    addAlert(
      'notice',
      `Opened your model ${info.id} on ${title}.${why}${fit.note ? ` Note: ${fit.note}.` : ''}`,
    );
  } catch (e) {
    useWeightsLoad.setState((s) =>
      s.load?.token === pending.token ? { load: { ...s.load, queued: false } } : {},
    );
    // A load cancelled meanwhile has said so already.
    if (useImports.getState().pendingModel?.token === pending.token)
      addAlert('error', `Model ${pending.name} could not be used: ${errorMessage(e)}`);
  }
}
