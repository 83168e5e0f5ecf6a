import type { ExitReadout, ExitRequest, ExitResult, ProgressEvent } from '../apiTypes';
import { sampleIndices } from '../data/order';
import type { Dataset } from '../data/types';
import { exitScores, type ExitScores } from '../exits/scores';
import { evaluateExit, exitTradeoff, type ExitCost } from '../exits/tradeoff';
import { collectExitLogits, hasPerLayerHeads, type LoadedModel } from '../pipeline/evaluate';
import { blockFlops, headFlops } from '../pipeline/flops';

interface Entry {
  scores: ExitScores;
  labels: Int32Array;
  cost: ExitCost;
}

/** Scores are of one revision of the weights: a fine-tune trained further is swept anew. */
const keyOf = (r: ExitRequest, revision: number) =>
  `${r.modelId}|${revision}|${r.dataset}|${r.samples}|${r.seed}`;

/** Revisions of one model kept at once (the one on show and a newer one are enough). */
const REVISIONS_KEPT = 3;

/**
 * Per-layer exit scores of (model revision, dataset, samples), computed once so that a sweep
 * and every slider readout after it reuse the same forward passes. Rules share the scores.
 */
export class ExitCache {
  private readonly entries = new Map<string, Entry>();

  async tradeoff(
    model: LoadedModel,
    /** The weights' revision (ModelInfo.revision): part of the key and of the result. */
    revision: number,
    dataset: Dataset,
    request: ExitRequest,
    onProgress?: (e: ProgressEvent) => void,
    /** Stops the sweep between batches with a TaskAbortedError; nothing is cached then. */
    signal?: AbortSignal,
  ): Promise<ExitResult> {
    const key = keyOf(request, revision);
    let entry = this.entries.get(key);
    if (!entry) {
      const samples = Math.min(request.samples, dataset.test.n);
      const indices = sampleIndices(dataset.test.n, samples, request.seed);
      // Without `heads`, the model's config picks its exit classifiers (hasPerLayerHeads).
      const { logits, labels, numClasses } = await collectExitLogits(
        model,
        dataset,
        dataset.test,
        indices,
        {
          onProgress: (done, total) => onProgress?.({ phase: 'running exits', done, total }),
          signal,
        },
      );
      const L = model.config.numLayers;
      entry = {
        scores: exitScores(logits, numClasses),
        labels,
        cost: {
          flopsPerLayer: new Array<number>(L).fill(blockFlops(model.config)),
          headFlops: headFlops(model.config),
        },
      };
      this.entries.set(key, entry);
      this.trim(request.modelId);
    }
    return {
      request,
      classifier: hasPerLayerHeads(model.config) ? 'per-layer' : 'shared',
      tradeoff: exitTradeoff(entry.scores, entry.labels, request.rule, entry.cost),
      revision,
    };
  }

  /** `revision`: the sweep's (ExitResult.revision); the caller passes the current one otherwise. */
  readout(request: ExitRequest, threshold: number, revision: number): ExitReadout {
    const entry = this.entries.get(keyOf(request, revision));
    if (!entry)
      throw new Error(
        `exit readout: no trade-off computed yet for model "${request.modelId}" at revision ${revision} on "${request.dataset}"`,
      );
    const { point, histogram } = evaluateExit(
      entry.scores,
      entry.labels,
      request.rule,
      threshold,
      entry.cost,
    );
    return { point, histogram };
  }

  /** Forgets a model's scores (e.g. a new run took its id). */
  forget(modelId: string): void {
    for (const key of this.entries.keys())
      if (key.startsWith(`${modelId}|`)) this.entries.delete(key);
  }

  /** Keeps the newest REVISIONS_KEPT revisions of a model (a fine-tune makes many). */
  private trim(modelId: string): void {
    const revisions = [...this.entries.keys()]
      .filter((key) => key.startsWith(`${modelId}|`))
      .map((key) => Number(key.split('|')[1]));
    const kept = [...new Set(revisions)].sort((a, b) => b - a).slice(0, REVISIONS_KEPT);
    for (const key of this.entries.keys())
      if (key.startsWith(`${modelId}|`) && !kept.includes(Number(key.split('|')[1])))
        this.entries.delete(key);
  }
}
