import type { AnalysisResult } from '../../../engine/apiTypes';
import { agreementOf, ckaOf, metricLabel } from '../../chartData/similarity';
import { staleCaption } from '../../state/currency';

const fmt = (v: number | null) => (v === null ? 'undefined' : v.toFixed(3));

/** How well the cheap cosine tracks CKA over the off-diagonal layer pairs (the paper's claim 1). */
export function AgreementNumbers({
  result,
  stale = null,
}: {
  result: AnalysisResult | null;
  /** Why the result is out of date (state/currency.ts): the numbers are dimmed and say so. */
  stale?: string | null;
}) {
  const metric = ckaOf(result);
  const a = metric ? agreementOf(result, metric) : null;
  if (!a || !metric) return null;
  return (
    <p
      className={stale ? 'agreement stale' : 'agreement'}
      data-testid="agreement"
      data-stale={stale ? 'true' : undefined}
    >
      Cosine vs {metricLabel(metric)} over {a.pairs} layer pairs: Pearson r ={' '}
      <strong>{fmt(a.pearson)}</strong>, Spearman ρ = <strong>{fmt(a.spearman)}</strong>
      {stale && <span className="stale-note">{staleCaption('', stale)}</span>}
    </p>
  );
}
