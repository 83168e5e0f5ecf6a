import { useImports } from './importState';

/** Progress of a dropped model or activation file being read and checked in the worker. */
export function ImportProgress() {
  const progress = useImports((s) => s.progress);
  if (!progress) return null;
  const { label, event } = progress;
  const text = event
    ? `${label}: ${event.phase} ${fraction(event.done, event.total)}`
    : `${label}…`;
  return (
    <div className="task-progress" data-testid="import-progress">
      {event && event.total > 0 ? (
        <progress aria-label={label} max={event.total} value={event.done} />
      ) : (
        <progress aria-label={label} />
      )}
      <span aria-live="polite">{text}</span>
    </div>
  );
}

function fraction(done: number, total: number): string {
  return total > 1 ? `${Math.round((100 * done) / total)} %` : done >= total ? 'done' : '';
}
