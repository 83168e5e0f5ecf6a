import { useMemo } from 'react';
import { createLineChart } from '../../../charts/lineChart';
import { trainingAccuracyChart } from '../../chartData/layers';
import { ChartView } from '../../charts/ChartView';
import { ResumePrompt } from '../../persist/ResumePrompt';
import { SaveStatus } from '../../persist/SaveStatus';
import { useStrata } from '../../store';
import { TaskProgress } from '../TaskProgress';
import { FineTuneCost } from './FineTuneCost';
import { HeatmapPair } from './HeatmapPair';
import { LossCurve } from './LossCurve';
import { TrainProgress } from './TrainProgress';
import { TrainSettings } from './TrainSettings';

/** Fine-tune live: a copy of the model under study, trained in the worker while you watch. */
export function FineTunePanel() {
  const modelId = useStrata((s) => s.config.modelId);
  const base = useStrata((s) => s.results.analysis.main);
  const evals = useStrata((s) => s.results.training.evals);
  const trained = useStrata((s) => s.results.analysis.training);
  const runBase = useStrata((s) => s.run.training.baseModelId);
  const runModel = useStrata((s) => s.results.training.model);
  const baseName = runBase ?? modelId ?? 'base';
  // The run by what it is ("mnist-aligned → aligned, 200 steps, lr 1e-4") once the engine named it.
  const runName = runModel?.title ?? `the fine-tune of ${baseName}`;
  const accuracy = useMemo(
    () => (evals.length ? trainingAccuracyChart(base, baseName, evals) : null),
    [base, baseName, evals],
  );
  const latest = evals[evals.length - 1];
  return (
    <section className="panel panel-wide" aria-labelledby="tune-title">
      <h2 id="tune-title">Fine-tune</h2>
      <p className="panel-help">
        Trains a copy of <strong>{modelId ?? '—'}</strong> on the training split. The curves update
        as it trains; per-layer accuracy and the heatmaps refresh at every evaluation.
      </p>
      <ResumePrompt />
      <TrainSettings />
      <FineTuneCost />
      <TrainProgress />
      <SaveStatus />
      <div className="chart-row">
        <LossCurve />
        <ChartView
          create={createLineChart}
          options={{
            yDomain: 'accuracy',
            yTitle: 'test accuracy',
            xTitle: 'layer',
            caption: latest
              ? `Per-layer test accuracy · ${runName} · step ${latest.step} · N = ${latest.n}`
              : 'Per-layer test accuracy during the fine-tune (at the first evaluation)',
          }}
          data={accuracy}
          placeholder="Per-layer accuracy appears at the first evaluation"
        />
      </div>
      <TaskProgress
        streams={[{ channel: 'training', label: 'Analysing the fine-tuned checkpoint' }]}
      />
      {trained && (
        <HeatmapPair
          result={trained}
          label={runModel ? `Fine-tuned ${runModel.title}` : 'Fine-tuned'}
        />
      )}
    </section>
  );
}
