import { useImports } from './importState';
import { cancelImportRead } from './readCancel';

/**
 * Progress of a dropped model, dataset or activation file being read and checked in the worker;
 * reads the user may stop (activations, datasets) get a Cancel that frees what was read.
 */
export function ImportProgress() {
  const progress = useImports((s) => s.progress);
  if (!progress) return null;
  const { label, event, readId, cancelling } = progress;
  const text = cancelling
    ? `${label}: cancelling…`
    : event
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
      {readId && (
        <button
          type="button"
          onClick={() => cancelImportRead()}
          disabled={cancelling}
          aria-label={`Cancel ${label.charAt(0).toLowerCase()}${label.slice(1)}`}
        >
          Cancel
        </button>
      )}
    </div>
  );
}

function fraction(done: number, total: number): string {
  return total > 1 ? `${Math.round((100 * done) / total)} %` : done >= total ? 'done' : '';
}
