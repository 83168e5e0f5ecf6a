/**
 * A language-model task's progress bar and its Cancel (lens, similarity, exits, generation); an
 * empty row of the same height when idle.
 */
export function LmTaskProgress({
  running,
  onCancel,
}: {
  running: { label: string; done: number; total: number } | null;
  onCancel: () => void;
}) {
  if (!running) return <div className="task-progress task-progress-idle" aria-hidden="true" />;
  const { label, done, total } = running;
  return (
    <div className="task-progress">
      {total > 0 ? (
        <progress aria-label={label} max={total} value={done} />
      ) : (
        <progress aria-label={label} />
      )}
      <span aria-live="polite">{total > 0 ? `${label} ${done}/${total}` : `${label}…`}</span>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
