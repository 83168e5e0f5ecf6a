// Checkpoints the user dropped: read and checked in the worker, held aside ("staged") while the page
// shows their summary, then registered under a fresh id or discarded (issue 6).
import type { DatasetInfo, ModelInfo, ProgressEvent } from '../apiTypes';
import { DeviceLostError } from '../deviceLoss';
import type { Dataset } from '../data/types';
import type { LoadedModelFiles } from '../import/loadModelFiles';
import type { OpenedCheckpoint } from '../import/loadModelSources';
import { retokenizeDataset } from '../import/retokenize';
import type { WordPieceTokenizer } from '../import/wordPiece';
import type { ModelImportRequest, ModelImportSummary } from '../import/userImportTypes';
import { disposeParams } from '../model/params';
import { datasetFit, textLength, tokensPerSample } from './datasetFit';
import { reviewCheckpoint } from './modelReview';
import type { ModelRegistry } from './models';

export { datasetFit } from './datasetFit';

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
  /** The checkpoint as reviewed: its weights load from it (again after a backend switch). */
  opened: OpenedCheckpoint;
  /** The weights once loaded; null before, and after a backend switch freed them. */
  model: LoadedModelFiles | null;
  /** The load in flight, which commit waits for. */
  loading: Promise<LoadedModelFiles> | null;
  /** Aborted by discard: a load in flight stops and frees what it read. */
  dropped: AbortController;
  summary: ModelImportSummary;
  tokenizer: WordPieceTokenizer | null;
  tokenizerLimit?: string;
}

/** Staged imports by token; committing moves one into the ModelRegistry. */
export class ModelImports {
  private readonly staged = new Map<string, Staged>();
  /** The tokenizer of each imported text model, by model id, for a user's raw texts. */
  private readonly tokenizers = new Map<
    string,
    { tokenizer: WordPieceTokenizer; seqLen: number }
  >();
  /** Text datasets re-encoded for an imported model, by name. */
  private readonly derived = new Map<string, { info: DatasetInfo; dataset: Dataset }>();
  private count = 0;
  /** Counts backend switches: a read that spans one must not load onto the old backend. */
  private switches = 0;

  constructor(private readonly registry: ModelRegistry) {}

  /**
   * Reviews a dropped checkpoint from config.json and the weights' headers (modelReview.ts) and
   * holds it, weights not read, until loadWeights, commit or discard. Allocates no tensor.
   */
  async review(
    request: ModelImportRequest,
    datasets: readonly DatasetInfo[],
    onProgress?: (e: ProgressEvent) => void,
    signal?: AbortSignal,
  ): Promise<ModelImportSummary> {
    const token = `import-${++this.count}`;
    const review = await reviewCheckpoint(request, datasets, token, onProgress, signal);
    this.staged.set(token, {
      ...review,
      model: null,
      loading: null,
      dropped: new AbortController(),
    });
    return review.summary;
  }

  /**
   * Streams a reviewed checkpoint's weights into the backend, tensor by tensor, checking every
   * value; progress is bytes read of all, with tensors uploaded. A second call waits for the
   * first. `signal` (or a discard) stops it between tensors, freeing what was read; the review
   * stays staged after a failure, so the weights may be asked for again.
   */
  async loadWeights(
    token: string,
    onProgress?: (e: ProgressEvent) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    const staged = this.get(token);
    if (staged.model) return;
    if (!staged.loading) {
      const switches = this.switches;
      const stop = signal
        ? AbortSignal.any([signal, staged.dropped.signal])
        : staged.dropped.signal;
      const loading = staged.opened
        .load({
          signal: stop,
          onProgress: (done, total, bytes) =>
            onProgress?.({
              phase: 'reading the weights',
              done: bytes.done,
              total: bytes.total,
              tensors: { done, total },
            }),
        })
        .then((model) => {
          const kept = this.staged.get(token) === staged && this.switches === switches;
          if (!kept) disposeParams(model.params);
          if (this.switches !== switches)
            throw new DeviceLostError(
              `engine (modelImports.ts): the backend changed while ${staged.summary.name} was read; import it again`,
            );
          if (kept) staged.model = model;
          return model;
        })
        .finally(() => {
          if (staged.loading === loading) staged.loading = null;
        });
      staged.loading = loading;
    }
    await staged.loading;
  }

  /**
   * Reads and checks a dropped checkpoint (sizes, JSON, architecture, every tensor's shape, dtype
   * and values) and holds it until commit or discard: review, then loadWeights. Errors name the
   * file and the place; nothing stays allocated when one is thrown.
   */
  async stage(
    request: ModelImportRequest,
    datasets: readonly DatasetInfo[],
    onProgress?: (e: ProgressEvent) => void,
    /** Stops the reads between chunks with a ReadCancelledError (tasks.ts), keeping nothing. */
    signal?: AbortSignal,
  ): Promise<ModelImportSummary> {
    const summary = await this.review(request, datasets, onProgress, signal);
    try {
      await this.loadWeights(summary.token, onProgress, signal);
    } catch (e) {
      this.discard(summary.token);
      throw e;
    }
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
      // A user's texts stay raw: the model tokenizes them when it reads them (no copy).
      if (staged.tokenizer && dataset.origin !== 'user') {
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
      if (staged.tokenizer)
        this.tokenizers.set(id, {
          tokenizer: staged.tokenizer,
          seqLen: textLength(staged.model.config),
        });
      const { opened } = staged;
      this.registry.add(
        info,
        { config: staged.model.config, params: staged.model.params },
        async () => {
          const again = await opened.load();
          return { config: again.config, params: again.params };
        },
      );
      return info;
    } catch (e) {
      this.staged.set(token, staged); // still staged: the page may pick another dataset
      throw e;
    }
  }

  /** The WordPiece tokenizer of imported text model `id` and its row length, if it has one. */
  tokenizerOf(id: string): { tokenizer: WordPieceTokenizer; seqLen: number } | undefined {
    return this.tokenizers.get(id);
  }

  /** A dataset re-encoded for an imported text model, if `name` is one. */
  derivedDataset(name: string): { info: DatasetInfo; dataset: Dataset } | undefined {
    return this.derived.get(name);
  }

  derivedInfos(): DatasetInfo[] {
    return [...this.derived.values()].map((d) => d.info);
  }

  /** Frees a staged model (Cancel), stopping its load. Discarding twice is harmless. */
  discard(token: string): void {
    const staged = this.staged.get(token);
    if (!staged) return;
    this.staged.delete(token);
    staged.dropped.abort();
    if (staged.model) disposeParams(staged.model.params);
  }

  /** Before a backend switch: staged weights are freed and loaded again on commit. */
  releaseStaged(): void {
    this.switches += 1;
    for (const staged of this.staged.values()) {
      if (staged.model) disposeParams(staged.model.params);
      staged.model = null;
    }
  }

  private get(token: string): Staged {
    const staged = this.staged.get(token);
    if (!staged)
      throw new Error(`no staged model import "${token}" (it was used or cancelled already)`);
    return staged;
  }

  /** A staged model with its weights: waits for the load in flight, or loads them. */
  private async take(token: string): Promise<Staged & { model: LoadedModelFiles }> {
    await this.loadWeights(token);
    const staged = this.get(token);
    if (!staged.model) return this.take(token); // freed by a backend switch meanwhile
    this.staged.delete(token);
    return staged as Staged & { model: LoadedModelFiles };
  }
}

/**
 * The dropped checkpoint as the streamed loader reads it, each file named by its dropped path:
 * config.json's bytes, and model.safetensors or the index's bytes and its shards (looked up by
 * the file names the index gives, beside the index first).
 */
