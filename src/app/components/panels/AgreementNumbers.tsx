import type { MetricAgreement } from '../../../engine/apiTypes';
import { agreementsWithCosine } from '../../chartData/across';
import { metricLabel } from '../../chartData/similarity';
import { staleCaption } from '../../state/currency';

const fmt = (v: number | null) => (v === null ? 'undefined' : v.toFixed(3));

/**
 * How well the cheap cosine tracks each other measure computed (the paper's claim 1): Pearson r
 * and Spearman's rank correlation ρ over the layer pairs — off-diagonal pairs within a model,
 * every pair (l, j) across two.
 */
export function AgreementNumbers({
  agreement,
  over = 'layer pairs',
  testId = 'agreement',
  stale = null,
}: {
  agreement: Record<string, MetricAgreement> | undefined;
  over?: string;
  testId?: string;
  /** Why the numbers are out of date (state/currency.ts): dimmed, and they say so. */
  stale?: string | null;
}) {
  const rows = agreementsWithCosine(agreement);
  if (rows.length === 0) return null;
  return (
    <ul
      className={stale ? 'agreement stale' : 'agreement'}
      data-testid={testId}
      data-stale={stale ? 'true' : undefined}
    >
      {rows.map(([metric, a]) => (
        <li key={metric}>
          Cosine vs {metricLabel(metric)} over {a.pairs} {over}: Pearson r ={' '}
          <strong>{fmt(a.pearson)}</strong>, Spearman ρ = <strong>{fmt(a.spearman)}</strong>
        </li>
      ))}
      {stale && <li className="stale-note">{staleCaption('', stale)}</li>}
    </ul>
  );
}
