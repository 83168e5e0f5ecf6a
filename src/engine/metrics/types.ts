/** The layer-by-layer similarity metrics of docs/design.md §1 (the last three across widths). */
export type SimilarityMetric =
  'cosine' | 'cka' | 'cka-debiased' | 'cka-minibatch' | 'cka-rbf' | 'procrustes' | 'svcca' | 'knn';

/**
 * A matrix over the given layers (square; across two models, rows A and columns B): `values[l][m]` compares layer l with layer m (indices into
 * the list passed in). An entry is `null` where the metric is undefined (a zero-variance layer,
 * for example), and `notes` says why, one sentence per cause; notes also carry facts a reader of
 * the numbers needs (zero rows counted by cosine, batches used by minibatch CKA).
 */
export interface MetricMatrix {
  metric: SimilarityMetric;
  values: (number | null)[][];
  notes: string[];
}

/** The name a layer has in messages: its index into the list passed in (`layer_3`). */
export function layerName(index: number): string {
  return `layer_${index}`;
}

/**
 * `note` with each `layer_<index>` of `layerName` replaced by that layer's own name (`embeddings`
 * for h_0 of a model, a file's array name), so that notes speak of the layers as results list them.
 */
export function withLayerNames(note: string, names: readonly string[]): string {
  return note.replace(/\blayer_(\d+)\b/g, (m, i: string) => names[Number(i)] ?? m);
}

/** A k×k matrix of nulls, to be filled. */
export function emptyMatrix(k: number): (number | null)[][] {
  return Array.from({ length: k }, () => new Array<number | null>(k).fill(null));
}
