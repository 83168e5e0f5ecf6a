import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { createHeatmap } from '../../../charts/heatmap';
import { createLineChart } from '../../../charts/lineChart';
import { acrossHeatmap, sameDepths } from '../../chartData/across';
import { analysisCaption, comparisonCaption } from '../../chartData/caption';
import {
  ckaOf,
  ckaSettingsCaption,
  differenceHeatmap,
  lastLayerDomain,
  lastLayerSimilarity,
  metricLabel,
  similarityHeatmap,
  undefinedCaption,
} from '../../chartData/similarity';
import { ChartView } from '../../charts/ChartView';
import { modelChoicesFor } from '../../import/userDatasetFit';
import { modelOptionLabel } from '../../state/catalog';
import type { CompareMetric, DifferenceRange } from '../../state/config';
import { viewStaleness } from '../../state/currency';
import { modelTitle, resultModelName } from '../../state/modelNames';
import { useStrata, type StrataState } from '../../store';
import { SelectField } from '../controls/Fields';
import { TaskProgress } from '../TaskProgress';
import { AgreementNumbers } from './AgreementNumbers';
import { ClassMeansPlot } from './ClassMeansPlot';
import { RevisionNotice } from './RevisionNotice';

const pickPair = (s: StrataState) => [s.results.analysis.a, s.results.analysis.b];

/** A/B: two checkpoints of the dataset side by side, their difference, and figure-1 views. */
export function CompareView() {
  const compare = useStrata(useShallow((s) => s.config.compare));
  const dataset = useStrata((s) => s.config.dataset);
  const models = useStrata((s) => s.results.models);
  const datasets = useStrata((s) => s.results.datasets);
  const a = useStrata((s) => s.results.analysis.a);
  const b = useStrata((s) => s.results.analysis.b);
  const setCompare = useStrata((s) => s.setCompare);
  const staleA = useStrata((s) => viewStaleness(s, 'a'));
  const staleB = useStrata((s) => viewStaleness(s, 'b'));
  const stalePair = useStrata((s) => viewStaleness(s, 'pair'));
  const staleAcross = useStrata((s) => viewStaleness(s, 'across'));
  const across = useStrata((s) => s.results.across);
  const acrossMetric =
    compare.metric === 'cosine' && across?.metrics.cosine ? 'cosine' : (ckaOf(a) ?? 'cka');
  const acrossData = useMemo(() => acrossHeatmap(across, acrossMetric), [across, acrossMetric]);
  const options = modelChoicesFor(datasets, models, dataset).map((m) => ({
    value: m.id,
    label: modelOptionLabel(m),
  }));
  // Each side's own CKA variant: one of them may still be of the variant chosen before.
  const metricOf = (r: typeof a) => (compare.metric === 'cosine' ? 'cosine' : (ckaOf(r) ?? 'cka'));
  const metric = metricOf(a);
  const metricB = metricOf(b);
  const scale = compare.metric === 'cosine' ? 'diverging' : 'sequential';
  const aData = useMemo(() => similarityHeatmap(a, metric), [a, metric]);
  const bData = useMemo(() => similarityHeatmap(b, metricB), [b, metricB]);
  const differenceRange = useStrata((s) => s.config.differenceRange);
  const setConfig = useStrata((s) => s.setConfig);
  const diff = useMemo(
    () => differenceHeatmap(aData, bData, differenceRange),
    [aData, bData, differenceRange],
  );
  const nameA = `A: ${a ? resultModelName(models, a) : compare.a ? modelTitle(models, compare.a) : '—'}`;
  const nameB = `B: ${b ? resultModelName(models, b) : compare.b ? modelTitle(models, compare.b) : '—'}`;
  // "Compare by" applies to every A/B chart: this line too is of the chosen measure.
  const lastLayer = useMemo(
    () =>
      lastLayerSimilarity(
        [...(a ? [{ name: nameA, result: a }] : []), ...(b ? [{ name: nameB, result: b }] : [])],
        metric,
      ),
    [a, b, nameA, nameB, metric],
  );
  return (
    <section className="subpanel" aria-labelledby="ab-title">
      <h3 id="ab-title">A/B checkpoints</h3>
      <div className="controls">
        <SelectField
          label="Checkpoint A"
          value={compare.a}
          options={options}
          onChange={(v) => setCompare({ a: v })}
        />
        <SelectField
          label="Checkpoint B"
          value={compare.b}
          options={options}
          onChange={(v) => setCompare({ b: v })}
        />
        <SelectField<CompareMetric>
          label="Compare by"
          value={compare.metric}
          options={[
            { value: 'cosine', label: 'Cosine similarity' },
            { value: 'cka', label: 'CKA (the variant above)' },
          ]}
          onChange={(v) => setCompare({ metric: v })}
        />
        <SelectField<DifferenceRange>
          label="Difference colours"
          value={differenceRange}
          options={[
            { value: 'fixed', label: 'fixed range ±1' },
            { value: 'fitted', label: 'fitted to the data' },
          ]}
          onChange={(v) => setConfig({ differenceRange: v })}
        />
      </div>
      <TaskProgress
        streams={[
          { channel: 'a', label: 'Analysing A' },
          { channel: 'b', label: 'Analysing B' },
          { channel: 'across', label: 'Comparing A and B layer by layer' },
        ]}
      />
      <RevisionNotice pick={pickPair} />
      <div className="chart-row chart-row-2">
        <ChartView
          create={createHeatmap}
          options={{
            scale,
            valueLabel: metricLabel(metric),
            caption: `${analysisCaption(`A: ${metricLabel(metric)}`, a, models)}${ckaSettingsCaption(a, metric)}${undefinedCaption(aData)}`,
          }}
          data={aData}
          stale={staleA}
        />
        <ChartView
          create={createHeatmap}
          options={{
            scale,
            valueLabel: metricLabel(metricB),
            caption: `${analysisCaption(`B: ${metricLabel(metricB)}`, b, models)}${ckaSettingsCaption(b, metricB)}${undefinedCaption(bData)}`,
          }}
          data={bData}
          stale={staleB}
        />
      </div>
      <div className="chart-row chart-row-2">
        <ChartView
          create={createHeatmap}
          options={{
            scale: 'difference',
            differenceExtent: diff?.extent ?? 1,
            valueLabel: 'A − B',
            caption: comparisonCaption(
              `Difference A − B of ${metricLabel(metric)}, colour range ±${diff?.extent ?? 1} (${differenceRange === 'fixed' ? 'fixed' : 'fitted to the data'})`,
              [a, b],
              models,
            ),
          }}
          data={diff?.data ?? null}
          stale={stalePair}
        />
        <ChartView
          create={createLineChart}
          options={{
            yDomain: lastLayerDomain(metric),
            yTitle: `${metric === 'cosine' ? 'cosine' : 'CKA'} with the last layer`,
            xTitle: 'layer',
            caption: comparisonCaption(
              `Each layer’s ${metric === 'cosine' ? 'cosine similarity' : metricLabel(metric)} with the last layer`,
              [a, b],
              models,
            ),
          }}
          data={lastLayer}
          stale={stalePair}
        />
      </div>
      <h4 id="across-title">Across A and B</h4>
      <div className="chart-row" aria-labelledby="across-title">
        <ChartView
          create={createHeatmap}
          options={{
            scale: acrossMetric === 'cosine' ? 'diverging' : 'sequential',
            valueLabel: metricLabel(acrossMetric),
            markDiagonal: true,
            caption: comparisonCaption(
              `Across A and B: ${metricLabel(acrossMetric)}, rows A's layers, columns B's` +
                (sameDepths(across) ? '; dashed: matching depths' : ''),
              [a, b],
              models,
            ),
          }}
          data={acrossData}
          stale={staleAcross}
        />
      </div>
      <AgreementNumbers
        agreement={across?.agreement}
        over="pairs of a layer of A and a layer of B"
        testId="across-agreement"
        stale={staleAcross}
      />
      <ClassMeansPlot
        entries={[
          { name: nameA, result: a, stale: staleA },
          { name: nameB, result: b, stale: staleB },
        ]}
      />
    </section>
  );
}
