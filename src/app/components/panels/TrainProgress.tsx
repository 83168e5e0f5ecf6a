import { useShallow } from 'zustand/react/shallow';
import { getExplorer } from '../../effects/connect';
import { isTrainingActive } from '../../state/run';
import { trainingStatusText } from '../../state/trainingStatus';
import { useStrata } from '../../store';

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
        {trainingStatusText(t)}
      </p>
    </div>
  );
}
