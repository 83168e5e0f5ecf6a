import { getExplorer } from '../../effects/connect';
import type { TaskProgress } from '../../state/run';
import { useStrata } from '../../store';
import { aboutSeconds } from './SampleBudgetNote';

const count = (n: number) => n.toLocaleString('en-US');

/** "forward passes: batch 3 of 16 (96 of 500 samples), ~40 s left" — what the bar stands for. */
export function analysisProgressText(task: TaskProgress): string {
  if (!task.batches) return `${task.phase} ${task.done}/${task.total}`;
  const left =
    task.etaSeconds == null ? 'measuring speed…' : `${aboutSeconds(task.etaSeconds)} left`;
  return `forward passes: batch ${task.batches.done} of ${task.batches.total} (${count(task.done)} of ${count(task.total)} samples), ${left}`;
}

/**
 * The model's analysis in flight: its forward passes with an ETA from the measured rate, and a
 * Cancel that stops it in the engine (the charts keep the previous result). Keeps its row's
 * height when idle, as TaskProgress does.
 */
export function AnalysisProgress() {
  const task = useStrata((s) => s.run.tasks.main);
  if (task === undefined)
    return <div className="task-progress task-progress-idle" aria-hidden="true" />;
  const label = 'Analysing the model';
  return (
    <div className="task-progress" data-testid="analysis-progress">
      {task && task.total > 0 ? (
        <progress aria-label={label} max={task.total} value={task.done} />
      ) : (
        <progress aria-label={label} />
      )}
      <span aria-live="polite">
        {task ? `${label}: ${analysisProgressText(task)}` : `${label}…`}
      </span>
      <button
        type="button"
        aria-label="Cancel the analysis"
        onClick={() => getExplorer()?.cancelAnalysis()}
      >
        Cancel
      </button>
    </div>
  );
}
