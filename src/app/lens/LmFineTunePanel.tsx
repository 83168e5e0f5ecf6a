import { useEffect, useMemo } from 'react';
import { createLineChart, type LineChartOptions } from '../../charts/lineChart';
import { ChartView } from '../charts/ChartView';
import { NumberField, SelectField } from '../components/controls/Fields';
import { useLens } from './lensState';
import { LmResumePrompt } from './LmResumePrompt';
import { lmTuneAccuracyChart, lmTuneCaption, lmTuneYDomain } from './lmTuneChart';
import { lmTuneEta, useLmTune, type LmTuneRun, type LmTuneSettings } from './lmTuneState';
import { restorePausedLm } from './pausedLm';
import { pauseLmTune, resumeLmTune, startLmTune, stopLmTune } from './runLmTune';

const LOSSES = [
  {
    value: 'aligned' as const,
    label: 'Aligned: every layer through the final norm and unembedding',
  },
  { value: 'standard' as const, label: 'Standard: the last layer only' },
];
const WEIGHTINGS = [
  { value: 'linear' as const, label: 'Linear: λ_l ∝ l' },
  { value: 'uniform' as const, label: 'Uniform: λ_l = 1/L' },
];

const ACTIVE: readonly LmTuneRun['state'][] = ['preparing', 'running', 'paused', 'stopping'];

function statusText(run: LmTuneRun | null): string {
  if (!run) return 'Not started.';
  const at = `step ${run.step} of ${run.steps}`;
  switch (run.state) {
    case 'preparing':
      return run.evals.length ? 'Preparing: first step (kernels compile)…' : 'Preparing…';
    case 'running': {
      const eta = lmTuneEta(run);
      const pace = run.stepsPerSecond ? `, ${run.stepsPerSecond.toFixed(2)} steps/s` : '';
      return `Running: ${at}${pace}${eta ? `, ${eta}` : ''}`;
    }
    case 'paused':
      return `Paused at ${at}.`;
    case 'stopping':
      return `Stopping after step ${run.step}: measuring on every held-out row…`;
    case 'stopped':
      return `Stopped at ${at}.`;
    default:
      return `Done: ${run.steps} steps.`;
  }
}

/**
 * Fine-tunes the page's language model live with the aligned LM loss, Σ_l λ_l · CE of each
 * layer's logit lens, or the standard one, and draws the held-out next-token accuracy per layer
 * before and now. The finished model is listed in the LM picker.
 */
export function LmFineTunePanel() {
  const model = useLens((s) => s.model);
  const settings = useLmTune((s) => s.settings);
  const run = useLmTune((s) => s.run);
  const paused = useLmTune((s) => s.paused);
  const evals = useMemo(() => run?.evals ?? [], [run?.evals]);
  const data = useMemo(() => lmTuneAccuracyChart(evals), [evals]);
  const yDomain = useMemo(() => lmTuneYDomain(evals.slice(0, 1)), [evals]);
  useEffect(() => void restorePausedLm(), []);
  const active = run !== null && ACTIVE.includes(run.state);
  // A paused run found stored is offered (and runs) with no model open: it brings its own.
  if (!model && !paused && !run) return null;
  const set = (p: Partial<LmTuneSettings>) =>
    useLmTune.setState((s) => ({ settings: { ...s.settings, ...p } }));
  const options: LineChartOptions = {
    caption: lmTuneCaption(run?.name ?? model?.name ?? '', evals),
    yDomain,
    yTitle: 'held-out next-token accuracy',
    xTitle: 'layer',
  };
  const noTokenizer = !model || (!model.defaultIds && !model.summary.tokenizer);
  return (
    <section className="panel lm-tune-panel" aria-labelledby="lm-tune-title">
      <h2 id="lm-tune-title">Aligned fine-tune</h2>
      {model && (
        <>
          <p className="panel-help">
            Fine-tunes {model.name} with one shared read-out — its final norm and unembedding — at
            every layer: L = Σ λ_l · CE(unembed(final_norm(h_l)), next token). Standard trains the
            last layer only.{' '}
            {model.defaultIds
              ? 'Trains on IMDB training reviews (32 tokens each), measures on the held-out test reviews.'
              : 'Trains on the lens texts, measures on their first quarter, held out.'}
          </p>
          <div className="lens-controls">
            <SelectField
              label="LM loss"
              value={settings.loss}
              options={LOSSES}
              disabled={active}
              onChange={(loss) => set({ loss })}
            />
            <SelectField
              label="LM layer weights λ"
              value={settings.weighting}
              options={WEIGHTINGS}
              disabled={active || settings.loss === 'standard'}
              onChange={(weighting) => set({ weighting })}
            />
            <NumberField
              label="LM steps"
              value={settings.steps}
              min={1}
              max={10_000}
              integer
              disabled={active}
              onCommit={(steps) => set({ steps })}
            />
            <NumberField
              label="LM batch size"
              value={settings.batchSize}
              min={1}
              max={256}
              integer
              disabled={active}
              onCommit={(batchSize) => set({ batchSize })}
            />
            <NumberField
              label="LM learning rate"
              value={settings.lr}
              min={1e-6}
              max={1}
              step={1e-4}
              disabled={active}
              onCommit={(lr) => set({ lr })}
            />
          </div>
        </>
      )}
      {!active && <LmResumePrompt />}
      <div className="train-progress">
        <div className="buttons">
          <button type="button" disabled={active || noTokenizer} onClick={() => void startLmTune()}>
            Start
          </button>
          <button
            type="button"
            disabled={run?.state !== 'running'}
            onClick={() => void pauseLmTune()}
          >
            Pause
          </button>
          <button
            type="button"
            disabled={run?.state !== 'paused'}
            onClick={() => void resumeLmTune()}
          >
            Resume
          </button>
          <button type="button" disabled={!active} onClick={() => void stopLmTune()}>
            Stop
          </button>
        </div>
        <progress
          aria-label="LM fine-tune progress"
          max={Math.max(run?.steps ?? 1, 1)}
          value={run?.step ?? 0}
          data-state={run?.state ?? 'idle'}
        />
        <p className="train-status" aria-live="polite" data-testid="lm-tune-status">
          {run && <strong>{run.name}</strong>} {statusText(run)}
        </p>
      </div>
      <ChartView
        create={createLineChart}
        options={options}
        data={data}
        placeholder="Start a fine-tune to see each layer’s held-out next-token accuracy, before and now."
      />
    </section>
  );
}
