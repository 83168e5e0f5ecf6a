// A CKA-only analysis folded into the result it completes: the cosine matrix, the accuracy and
// the class means stay the very objects they were, so the views drawn from them do not redraw.
import type { AnalysisRequest, AnalysisResult } from '../../engine/apiTypes';
import { metricAgreement } from '../../engine/metrics/agreement';

/**
 * `base` (a result with cosine) with the CKA matrices, notes and skips of `cka` (a result of the
 * same rows asked for a CKA variant alone), the cosine–CKA agreement recomputed, and `request`
 * (cosine and that variant) as the request it answers.
 */
export function mergeCkaInto(
  base: AnalysisResult,
  cka: AnalysisResult,
  request: AnalysisRequest,
): AnalysisResult {
  const variants = request.metrics.filter((m) => m !== 'cosine');
  const metrics = { cosine: base.metrics.cosine, ...pick(cka.metrics, variants) };
  const notes = { ...pick(base.notes, ['cosine']), ...pick(cka.notes, variants) };
  const skipped = { ...pick(base.skipped ?? {}, ['cosine']), ...pick(cka.skipped ?? {}, variants) };
  const agreement: AnalysisResult['agreement'] = {};
  const cosine = base.metrics.cosine;
  for (const m of variants) {
    const values = cka.metrics[m];
    if (cosine && values) {
      agreement[`cosine~${m}`] = metricAgreement(
        { metric: 'cosine', values: cosine, notes: [] },
        { metric: m, values, notes: [] },
      );
    }
  }
  const merged: AnalysisResult = {
    ...base,
    request,
    metrics,
    notes,
    agreement,
    elapsedMs: cka.elapsedMs,
  };
  if (Object.keys(skipped).length > 0) merged.skipped = skipped;
  else delete merged.skipped;
  return merged;
}

function pick<V>(
  record: Partial<Record<string, V>>,
  keys: readonly string[],
): Partial<Record<string, V>> {
  return Object.fromEntries(keys.filter((k) => record[k] !== undefined).map((k) => [k, record[k]]));
}
