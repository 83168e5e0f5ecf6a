import { useShallow } from 'zustand/react/shallow';
import { getExplorer } from '../../effects/connect';
import { etaSeconds, isTrainingActive, type TrainingRun } from '../../state/run';
import { useStrata } from '../../store';

/** "12 s", "3 min 5 s". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${s % 60} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

function statusText(t: TrainingRun): string {
  if (t.state === 'idle') return 'Not started.';
  const parts = [`${t.state}`, `step ${t.step} / ${t.steps}`];
  if (t.stepsPerSecond !== null) parts.push(`${t.stepsPerSecond.toFixed(2)} steps/s`);
  const eta = etaSeconds(t);
  if (eta !== null) parts.push(`ETA ${formatDuration(eta)}`);
  return parts.join(' · ');
}

/** Start, pause, resume, stop, and where the run is. */
export function TrainProgress() {
  const t = useStrata(useShallow((s) => s.run.training));
  const ready = useStrata((s) => s.run.status === 'ready' && s.config.modelId !== null);
  const active = isTrainingActive(t.state);
  const controller = () => getExplorer()?.training;
  return (
    <div className="train-progress">
      <div className="buttons">
        <button type="button" disabled={!ready || active} onClick={() => controller()?.start()}>
          Start fine-tuning
        </button>
        <button
          type="button"
          disabled={t.state !== 'running'}
          onClick={() => controller()?.pause()}
        >
          Pause
        </button>
        <button
          type="button"
          disabled={t.state !== 'paused'}
          onClick={() => controller()?.resume()}
        >
          Resume
        </button>
        <button
          type="button"
          disabled={!(t.state === 'running' || t.state === 'paused' || t.state === 'starting')}
          onClick={() => controller()?.stop()}
        >
          Stop
        </button>
      </div>
      <progress
        aria-label="Training progress"
        max={Math.max(t.steps, 1)}
        value={t.step}
        data-state={t.state}
      />
      <p className="train-status" aria-live="polite" data-testid="train-status">
        {statusText(t)}
      </p>
    </div>
  );
}
