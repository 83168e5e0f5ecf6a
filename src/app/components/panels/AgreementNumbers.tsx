import type { AnalysisResult } from '../../../engine/apiTypes';
import { agreementOf, ckaOf, metricLabel } from '../../chartData/similarity';

const fmt = (v: number | null) => (v === null ? 'undefined' : v.toFixed(3));

/** How well the cheap cosine tracks CKA over the off-diagonal layer pairs (the paper's claim 1). */
export function AgreementNumbers({ result }: { result: AnalysisResult | null }) {
  const metric = ckaOf(result);
  const a = metric ? agreementOf(result, metric) : null;
  if (!a || !metric) return null;
  return (
    <p className="agreement" data-testid="agreement">
      Cosine vs {metricLabel(metric)} over {a.pairs} layer pairs: Pearson r ={' '}
      <strong>{fmt(a.pearson)}</strong>, Spearman ρ = <strong>{fmt(a.spearman)}</strong>
    </p>
  );
}
