import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { createHistogram } from '../../../charts/histogram';
import { createLineChart } from '../../../charts/lineChart';
import { comparisonCaption } from '../../chartData/caption';
import { accuracyChart, lossChart, saturationChart, withAccuracy } from '../../chartData/layers';
import type { AnalysisResult } from '../../../engine/apiTypes';
import type { NamedResult } from '../../chartData/similarity';
import { ChartView } from '../../charts/ChartView';
import { viewStaleness } from '../../state/currency';
import { resultModelName, type ModelTitles } from '../../state/modelNames';
import { useStrata, type StrataState } from '../../store';
import { AccuracyTable } from './AccuracyTable';
import { RevisionNotice } from './RevisionNotice';

/** The checkpoints on show: A, B, and the model under study when it is neither. */
function compared(
  main: AnalysisResult | null,
  a: AnalysisResult | null,
  b: AnalysisResult | null,
  models: ModelTitles,
): NamedResult[] {
  const out: NamedResult[] = [];
  if (a) out.push({ name: `A: ${resultModelName(models, a)}`, result: a });
  if (b) out.push({ name: `B: ${resultModelName(models, b)}`, result: b });
  const id = main?.request.modelId;
  if (main && id !== a?.request.modelId && id !== b?.request.modelId)
    out.push({ name: resultModelName(models, main), result: main });
  return out;
}

const pickShown = (s: StrataState) => [
  s.results.analysis.main,
  s.results.analysis.a,
  s.results.analysis.b,
];

/** Per-layer accuracy: the shared classifier read out after every layer (logit lens). */
export function AccuracyPanel() {
  const { main, a, b } = useStrata(
    useShallow((s) => ({
      main: s.results.analysis.main,
      a: s.results.analysis.a,
      b: s.results.analysis.b,
    })),
  );
  const models = useStrata((s) => s.results.models);
  const { entries, results, accuracy, loss, saturation } = useMemo(() => {
    const entries = compared(main, a, b, models);
    return {
      entries,
      results: entries.map((e) => e.result),
      accuracy: accuracyChart(entries),
      loss: lossChart(entries),
      saturation: saturationChart(entries),
    };
  }, [main, a, b, models]);
  const stale = useStrata((s) => viewStaleness(s, 'compared'));
  const measured = entries.length === 0 || withAccuracy(entries).length > 0;
  return (
    <section className="panel" aria-labelledby="accuracy-title">
      <h2 id="accuracy-title">Per-layer accuracy</h2>
      <p className="panel-help">
        The model’s own head g (final LayerNorm + classifier) applied after every layer. Aligned
        training makes it work at every depth; the marker is the minimal depth (within 1 point of
        the last layer).
      </p>
      <RevisionNotice pick={pickShown} />
      {entries
        .filter((e) => e.result.accuracyUnavailable)
        .map((e) => (
          <p key={e.name} className="panel-help" role="note">
            No accuracy for {e.name}: {e.result.accuracyUnavailable}.
          </p>
        ))}
      {/* No checkpoint on show has accuracy (its head reads other classes): the charts would
          keep the last dataset's curves under this dataset's caption, so they are not drawn. */}
      {measured && (
        <>
          <ChartView
            create={createLineChart}
            options={{
              yDomain: 'accuracy',
              yTitle: 'test accuracy',
              xTitle: 'layer',
              caption: comparisonCaption(
                'Accuracy of the shared classifier at each layer',
                results,
                models,
              ),
            }}
            data={accuracy}
            stale={stale}
          />
          <div
            className={stale ? 'stale-block' : undefined}
            data-stale={stale ? 'true' : undefined}
          >
            <AccuracyTable entries={withAccuracy(entries)} />
          </div>
          <ChartView
            create={createLineChart}
            options={{
              yDomain: 'loss',
              yTitle: 'cross-entropy',
              xTitle: 'layer',
              caption: comparisonCaption(
                'Loss of the shared classifier at each layer',
                results,
                models,
              ),
            }}
            data={loss}
            stale={stale}
          />
        </>
      )}
      <ChartView
        create={createHistogram}
        options={{
          mode: 'fraction',
          xTitle: 'saturation layer',
          yTitle: 'share of samples',
          caption: comparisonCaption(
            'Saturation layer: where the top-1 prediction stops changing',
            results,
            models,
          ),
        }}
        data={saturation}
        stale={stale}
      />
    </section>
  );
}
