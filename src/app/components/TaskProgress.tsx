import { useShallow } from 'zustand/react/shallow';
import type { Channel, TaskProgress as Progress } from '../state/run';
import { useStrata } from '../store';

interface Stream {
  channel: Channel;
  label: string;
}

/**
 * A progress bar for streams of engine work, showing the first one in flight: determinate once
 * the engine reports progress, indeterminate before. Its row keeps its height when idle, so the
 * page does not jump (nor repaint everything below) each time work starts or ends.
 */
export function TaskProgress({ streams }: { streams: Stream[] }) {
  const tasks = useStrata(
    useShallow((s) => streams.map((t) => s.run.tasks[t.channel] as Progress | null | undefined)),
  );
  const i = tasks.findIndex((t) => t !== undefined);
  if (i < 0) return <div className="task-progress task-progress-idle" aria-hidden="true" />;
  const { label } = streams[i];
  const task = tasks[i];
  const text = task ? `${label}: ${task.phase} ${task.done}/${task.total}` : `${label}…`;
  return (
    <div className="task-progress">
      {task && task.total > 0 ? (
        <progress aria-label={label} max={task.total} value={task.done} />
      ) : (
        <progress aria-label={label} />
      )}
      <span aria-live="polite">{text}</span>
    </div>
  );
}
