import type { LayerFacts } from './layerScan';
import { layerName, type MetricMatrix, type SimilarityMetric } from './types';

const CKA_METRICS: readonly SimilarityMetric[] = [
  'cka',
  'cka-debiased',
  'cka-minibatch',
  'cka-rbf',
];

/** Why a constant layer has no CKA: said only of layers found constant on the host. */
export function constantLayerNote(l: number): string {
  return (
    `${layerName(l)}: constant (every sample has the same vector, as the class token has before ` +
    'the first block), so its centred Gram matrix is zero and CKA is 0/0; its entries are null'
  );
}

/**
 * Nulls the CKA entries of every constant layer and gives them the one note that says so, in
 * place of whatever rounding made of 0/0 (a tiny variance left by centring in float32, or a note
 * guessing at the cause). Cosine is defined for constant layers and is left as it is.
 */
export function markConstantLayers(
  matrices: Partial<Record<SimilarityMetric, MetricMatrix>>,
  facts: readonly LayerFacts[],
): void {
  const constant = facts.flatMap((f, l) => (f.constant ? [l] : []));
  if (constant.length === 0) return;
  for (const metric of CKA_METRICS) {
    const matrix = matrices[metric];
    if (!matrix) continue;
    for (const l of constant) {
      matrix.values[l].fill(null);
      for (const row of matrix.values) row[l] = null;
    }
    const prefixes = constant.map((l) => `${layerName(l)}: `);
    const others = matrix.notes.filter((note) => !prefixes.some((p) => note.startsWith(p)));
    matrix.notes = [...constant.map(constantLayerNote), ...others];
  }
}
