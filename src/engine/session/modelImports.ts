// Checkpoints the user dropped: read and checked in the worker, held aside ("staged") while the page
// shows their summary, then registered under a fresh id or discarded (issue 6).
import type { DatasetInfo, ModelInfo, ProgressEvent } from '../apiTypes';
import { DeviceLostError } from '../deviceLoss';
import type { Dataset } from '../data/types';
import type { LoadedModelFiles } from '../import/loadModelFiles';
import { droppedSources } from '../import/checkpointFiles';
import { loadModelSources } from '../import/loadModelSources';
import { INDEX_FILE } from '../import/shardIndex';
import { MAX_IMPORT_BYTES, readBlobBytes } from '../import/readBlob';
import { retokenizeDataset, wordPieceMismatch } from '../import/retokenize';
import { tokenizerLimit } from '../import/tokenizerLimits';
import { readWordPieceTokenizer, type WordPieceTokenizer } from '../import/wordPiece';
import type { DatasetFit, ModelImportRequest, ModelImportSummary } from '../import/userImportTypes';
import { disposeParams, paramVariables } from '../model/params';
import { numPositions, type ModelConfig } from '../model/config';
import type { ModelRegistry } from './models';

/** One input's shape: [H, W, C] for images, [max tokens] for text. */
function inputShapeOf(config: ModelConfig): number[] {
  return config.architecture === 'vit'
    ? [config.imageSize, config.imageSize, config.numChannels]
    : [config.maxLength];
}

const shapeText = (s: readonly number[]) => s.join('×');

/** Longest token sequence a re-encoded text dataset gets (BERT's cost grows with T²). */
export const MAX_TEXT_TOKENS = 128;

/** Tokens one input carries through the blocks (the page's analysis budget reads it). */
function tokensPerSample(config: ModelConfig): number {
  return config.architecture === 'vit' ? numPositions(config) : textLength(config);
}

/** Tokens per row of `config`'s re-encoded datasets. */
function textLength(config: ModelConfig): number {
  return config.architecture === 'text' ? Math.min(config.maxLength, MAX_TEXT_TOKENS) : 0;
}

/**
 * Whether `dataset` can feed `config`: same kind, the image's exact size and channels (Strata
 * does not resize), the same number of classes (accuracy reads the model's own head). A text
 * dataset is re-encoded with the model's own tokenizer, so a text model needs one.
 */
export function datasetFit(
  config: ModelConfig,
  dataset: DatasetInfo,
  tokenizer: WordPieceTokenizer | null = null,
  /** Why the model's own tokenizer cannot be run (RoBERTa, XLM-R), if so. */
  tokenizerLimit?: string,
): DatasetFit {
  const no = (reason: string): DatasetFit => ({ dataset: dataset.name, fits: false, reason });
  const kind = config.architecture === 'vit' ? 'image' : 'text';
  if (dataset.kind !== kind) return no(`it holds ${dataset.kind}s, the model reads ${kind}s`);
  if (config.architecture === 'vit') {
    const want = inputShapeOf(config);
    const same =
      dataset.inputShape.length === 3 && dataset.inputShape.every((v, i) => v === want[i]);
    if (!same)
      return no(
        `its images are ${shapeText(dataset.inputShape)} (H×W×C), the model reads ${shapeText(want)}`,
      );
  } else if (!tokenizer) {
    return no(
      tokenizerLimit
        ? `its texts must be encoded with the model's own tokenizer, and ${tokenizerLimit}`
        : `its texts must be encoded with the model's own tokenizer, and no tokenizer.json or vocab.txt was dropped with the model`,
    );
  }
  if (dataset.classNames.length !== config.numClasses)
    return no(
      `it has ${dataset.classNames.length} classes, the model's head has ${config.numClasses}`,
    );
  if (tokenizer)
    return {
      dataset: dataset.name,
      fits: true,
      note: `its texts are re-encoded into word pieces with ${tokenizer.file} (at most ${textLength(config)} tokens)`,
    };
  return { dataset: dataset.name, fits: true };
}

/** `user-<name>` made of lower-case letters, digits and dashes, unique among `taken`. */
export function freshModelId(name: string, taken: ReadonlySet<string>): string {
  const slug =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'model';
  const base = `user-${slug}`;
  if (!taken.has(base)) return base;
  for (let k = 2; ; k++) if (!taken.has(`${base}-${k}`)) return `${base}-${k}`;
}

interface Staged {
  model: LoadedModelFiles;
  /** Loads the same dropped files again (after a backend switch), streamed as at first. */
  reload: () => Promise<LoadedModelFiles>;
  /** Its tensors were freed with a lost backend: load again before use. */
  released?: boolean;
  summary: ModelImportSummary;
  tokenizer: WordPieceTokenizer | null;
  tokenizerLimit?: string;
}

/** Staged imports by token; committing moves one into the ModelRegistry. */
export class ModelImports {
  private readonly staged = new Map<string, Staged>();
  /** Text datasets re-encoded for an imported model, by name. */
  private readonly derived = new Map<string, { info: DatasetInfo; dataset: Dataset }>();
  private count = 0;
  /** Counts backend switches: a read that spans one must not load onto the old backend. */
  private switches = 0;

  constructor(private readonly registry: ModelRegistry) {}

  /**
   * Reads and checks a dropped checkpoint (sizes, JSON, architecture, every tensor's shape, dtype
   * and values) and holds it until commit or discard. Errors name the file and the place; nothing
   * stays allocated when one is thrown.
   */
  async stage(
    request: ModelImportRequest,
    datasets: readonly DatasetInfo[],
    onProgress?: (e: ProgressEvent) => void,
    /** Stops the reads between chunks with a ReadCancelledError (tasks.ts), keeping nothing. */
    signal?: AbortSignal,
  ): Promise<ModelImportSummary> {
    const read = (f: { path: string; file: Blob }, limit = MAX_IMPORT_BYTES) =>
      readBlobBytes(f.file, f.path, {
        limit,
        signal,
        onProgress: (done, total) => onProgress?.({ phase: `reading ${f.path}`, done, total }),
      });
    const switches = this.switches;
    const small = 16 * 1024 * 1024;
    const config = await read(request.config, small);
    const index = request.weights.path.endsWith(INDEX_FILE)
      ? await read(request.weights, small)
      : undefined;
    const tokenizerBytes = request.tokenizer ? await read(request.tokenizer) : undefined;
    const files = droppedSources(request, config, index);
    const changed = () =>
      new DeviceLostError(
        `engine (modelImports.ts): the backend changed while ${request.name} was read; import it again`,
      );
    if (this.switches !== switches) throw changed();
    // Streamed from the dropped Files tensor by tensor: never the whole file in memory.
    const load = () =>
      loadModelSources(files, {
        onProgress: (done, total) => onProgress?.({ phase: 'reading the weights', done, total }),
        signal,
      });
    const model = await load();
    if (this.switches !== switches) {
      disposeParams(model.params);
      throw changed();
    }
    const { config: c } = model;
    let tokenizer: WordPieceTokenizer | null = null;
    const limit = tokenizerLimit(model.format);
    if (c.architecture === 'text' && request.tokenizer && tokenizerBytes && !limit) {
      try {
        tokenizer = readWordPieceTokenizer(tokenizerBytes, request.tokenizer.path);
        const mismatch = wordPieceMismatch(tokenizer, c.vocabSize, c.padTokenId);
        if (mismatch) throw new Error(mismatch);
      } catch (e) {
        disposeParams(model.params);
        throw e;
      }
    }
    const token = `import-${++this.count}`;
    const summary: ModelImportSummary = {
      token,
      name: request.name,
      architecture: model.format,
      kind: c.architecture === 'vit' ? 'image' : 'text',
      numLayers: c.numLayers,
      hiddenSize: c.hiddenSize,
      numHeads: c.numHeads,
      numClasses: c.numClasses,
      classNames: [...c.labels],
      parameters: paramVariables(model.params).reduce((s, v) => s + v.size, 0),
      inputShape: inputShapeOf(c),
      notes: model.notes,
      unusedTensors: model.unusedTensors,
      datasets: datasets.map((d) => datasetFit(c, d, tokenizer, limit)),
    };
    if (limit) {
      summary.tokenizerLimit = limit;
      const what = request.tokenizer ? `${request.tokenizer.path} is not used: ` : '';
      summary.notes.push(
        `${what}${limit}; no text dataset is re-encoded for it, and its hidden states can be read from token ids (strata hidden-states)`,
      );
    } else if (tokenizer) summary.tokenizer = { file: tokenizer.file, vocabSize: tokenizer.size };
    else if (request.tokenizer)
      summary.notes.push(`${request.tokenizer.path} is not used: an image model reads pixels`);
    this.staged.set(token, { model, reload: load, summary, tokenizer, tokenizerLimit: limit });
    return summary;
  }

  /**
   * Registers a staged model as a model of `dataset` under a fresh `user-…` id. A text model gets
   * its own copy of the dataset, re-encoded with its tokenizer and listed as a dataset of its own.
   */
  async commit(
    token: string,
    dataset: DatasetInfo,
    load: (name: string) => Promise<Dataset>,
  ): Promise<ModelInfo> {
    const staged = await this.take(token);
    try {
      const fit = datasetFit(staged.model.config, dataset, staged.tokenizer, staged.tokenizerLimit);
      if (!fit.fits)
        throw new Error(
          `model "${staged.summary.name}" cannot read dataset "${dataset.name}": ${fit.reason}`,
        );
      const { summary } = staged;
      const id = freshModelId(summary.name, new Set(this.registry.list().map((m) => m.id)));
      let datasetName = dataset.name;
      if (staged.tokenizer) {
        datasetName = `${dataset.name}-for-${id}`;
        const title = `${dataset.title}, word pieces for ${id}`;
        const data = retokenizeDataset(
          await load(dataset.name),
          staged.tokenizer,
          textLength(staged.model.config),
          datasetName,
          title,
        );
        const info: DatasetInfo = {
          ...dataset,
          name: datasetName,
          title,
          inputShape: [...data.inputShape],
          source: `${dataset.source}; re-encoded with ${staged.tokenizer.file}`,
        };
        this.derived.set(datasetName, { info, dataset: data });
      }
      const info: ModelInfo = {
        id,
        title: `${summary.name} (yours, ${summary.architecture})`,
        dataset: datasetName,
        loss: 'standard',
        numLayers: summary.numLayers,
        hiddenSize: summary.hiddenSize,
        numClasses: summary.numClasses,
        kind: summary.kind,
        perLayerHeads: staged.model.config.heads === 'per-layer',
        builtin: false,
        revision: 0,
        parameters: summary.parameters,
        tokensPerSample: tokensPerSample(staged.model.config),
      };
      const { reload } = staged;
      this.registry.add(
        info,
        { config: staged.model.config, params: staged.model.params },
        async () => {
          const again = await reload();
          return { config: again.config, params: again.params };
        },
      );
      return info;
    } catch (e) {
      this.staged.set(token, staged); // still staged: the page may pick another dataset
      throw e;
    }
  }

  /** A dataset re-encoded for an imported text model, if `name` is one. */
  derivedDataset(name: string): { info: DatasetInfo; dataset: Dataset } | undefined {
    return this.derived.get(name);
  }

  derivedInfos(): DatasetInfo[] {
    return [...this.derived.values()].map((d) => d.info);
  }

  /** Frees a staged model (Cancel). Unknown tokens are ignored: discarding twice is harmless. */
  discard(token: string): void {
    const staged = this.staged.get(token);
    if (!staged) return;
    this.staged.delete(token);
    if (!staged.released) disposeParams(staged.model.params);
  }

  /** Before a backend switch: staged models are loaded again from their bytes on commit. */
  releaseStaged(): void {
    this.switches += 1;
    for (const staged of this.staged.values()) {
      if (!staged.released) disposeParams(staged.model.params);
      staged.released = true;
    }
  }

  private async take(token: string): Promise<Staged> {
    const staged = this.staged.get(token);
    if (!staged)
      throw new Error(`no staged model import "${token}" (it was used or cancelled already)`);
    this.staged.delete(token);
    if (staged.released) {
      staged.model = await staged.reload();
      staged.released = false;
    }
    return staged;
  }
}

/**
 * The dropped checkpoint as the streamed loader reads it, each file named by its dropped path:
 * config.json's bytes, and model.safetensors or the index's bytes and its shards (looked up by
 * the file names the index gives, beside the index first).
 */
