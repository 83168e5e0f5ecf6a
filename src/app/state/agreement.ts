// The agreement table: how well the cheap cosine ranks the layer pairs as each costlier measure
// does (the paper's first claim, checked beyond CKA), for the model under study and the A/B
// pair. Computed only once the user asks for it; it then follows the controls like every view.
import type { AnalysisRequest } from '../../engine/apiTypes';
import { DEFAULT_CONFIG } from './config';
import { pageAnalysisRequest, type RequestInputs } from './requests';
import type { AgreementRole, AgreementRow } from './results';
import { settledRevision } from './revisions';

/** The measures whose rank agreement with cosine the table lists, in its column order. */
export const AGREEMENT_MEASURES = ['cka', 'procrustes', 'svcca', 'knn'] as const;

/**
 * The analysis behind one row: the page's request for `modelId` (its samples, seed, pooling,
 * head) with cosine and every measure of the table, at their default settings: the CKA variant
 * chosen in the picker and its settings change nothing here.
 */
export function agreementRequest(s: RequestInputs, modelId: string): AnalysisRequest {
  return {
    ...pageAnalysisRequest(s, modelId),
    metrics: ['cosine', ...AGREEMENT_MEASURES],
    batchSize: DEFAULT_CONFIG.ckaBatchSize,
    rbfT: DEFAULT_CONFIG.rbfT,
  };
}

/** The rows the controls ask for now: none before a model and dataset are chosen. */
export function agreementRows(s: RequestInputs): AgreementRow[] {
  const { modelId, dataset, compare } = s.config;
  if (!dataset) return [];
  const ids: [AgreementRole, string | null][] = [
    ['main', modelId],
    ['a', compare.a],
    ['b', compare.b],
  ];
  return ids.flatMap(([role, id]) =>
    id ? [{ role, request: agreementRequest(s, id), revision: settledRevision(s, id) }] : [],
  );
}
