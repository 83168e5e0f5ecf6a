import { useMemo } from 'react';
import { createHeatmap } from '../../../charts/heatmap';
import type { AnalysisResult } from '../../../engine/apiTypes';
import { analysisCaption } from '../../chartData/caption';
import {
  ckaOf,
  ckaSettingsCaption,
  metricLabel,
  similarityHeatmap,
  undefinedCaption,
} from '../../chartData/similarity';
import { ChartView } from '../../charts/ChartView';
import { useStrata } from '../../store';

/**
 * Cosine and CKA heatmaps of one result, side by side, on their fixed colour domains. Captions
 * name what the picture was computed with (the previous picture stays while a new one computes).
 */
export function HeatmapPair({
  result,
  label,
  stale = null,
}: {
  result: AnalysisResult | null;
  label?: string;
  /** Why the result is out of date (state/currency.ts), or null. */
  stale?: string | null;
}) {
  const models = useStrata((s) => s.results.models);
  const prefix = label ? `${label}: ` : '';
  const cka = ckaOf(result) ?? 'cka';
  const cosine = useMemo(() => similarityHeatmap(result, 'cosine'), [result]);
  const ckaData = useMemo(() => similarityHeatmap(result, cka), [result, cka]);
  return (
    <div className="chart-row">
      <ChartView
        create={createHeatmap}
        options={{
          scale: 'diverging',
          caption: `${analysisCaption(`${prefix}Cosine similarity`, result, models)}${undefinedCaption(cosine)}`,
        }}
        data={cosine}
        stale={stale}
      />
      <ChartView
        create={createHeatmap}
        options={{
          scale: 'sequential',
          valueLabel: metricLabel(cka),
          caption: `${analysisCaption(`${prefix}${metricLabel(cka)}`, result, models)}${ckaSettingsCaption(result, cka)}${undefinedCaption(ckaData)}`,
        }}
        data={ckaData}
        stale={stale}
      />
    </div>
  );
}
