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

const keyOf = (r: ExitRequest) => `${r.modelId}|${r.dataset}|${r.samples}|${r.seed}`;

/**
 * Per-layer exit scores of (model, dataset, samples), computed once per model so that a sweep
 * and every slider readout after it reuse the same forward passes. Rules share the scores.
 */
export class ExitCache {
  private readonly entries = new Map<string, Entry>();

  async tradeoff(
    model: LoadedModel,
    dataset: Dataset,
    request: ExitRequest,
    onProgress?: (e: ProgressEvent) => void,
  ): Promise<ExitResult> {
    const key = keyOf(request);
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
    }
    return {
      request,
      classifier: hasPerLayerHeads(model.config) ? 'per-layer' : 'shared',
      tradeoff: exitTradeoff(entry.scores, entry.labels, request.rule, entry.cost),
    };
  }

  readout(request: ExitRequest, threshold: number): ExitReadout {
    const entry = this.entries.get(keyOf(request));
    if (!entry)
      throw new Error(
        `exit readout: no trade-off computed yet for model "${request.modelId}" on "${request.dataset}"`,
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

  /** Forgets a model's scores (after it changed, e.g. by fine-tuning). */
  forget(modelId: string): void {
    for (const key of this.entries.keys())
      if (key.startsWith(`${modelId}|`)) this.entries.delete(key);
  }
}
