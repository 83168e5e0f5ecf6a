import { getExplorer } from '../effects/connect';
import { isTrainingActive } from '../state/run';
import { useStrata } from '../store';
import { usePersist } from './persistState';

/** "12:04, 30 Nov" in the reader's locale. */
const savedTime = (iso: string) =>
  new Date(iso).toLocaleString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    day: 'numeric',
    month: 'short',
  });

/**
 * Offered when the page finds a fine-tune that was still running when it last closed: continue it
 * from its last saved step, or throw it away.
 */
export function ResumePrompt() {
  const pending = usePersist((s) => s.pending);
  const active = useStrata((s) => isTrainingActive(s.run.training.state));
  const ready = useStrata((s) => s.run.status === 'ready');
  if (!pending || active) return null;
  const persistence = () => getExplorer()?.persistence;
  return (
    <div
      className="resume-prompt"
      role="group"
      aria-labelledby="resume-title"
      aria-describedby="resume-detail"
      data-testid="resume-prompt"
      // The page names a run by what it is; the id (in storage, and for tests) tells two alike apart.
      data-run-id={pending.id}
    >
      <p id="resume-title" className="resume-title">
        Unfinished fine-tune found
      </p>
      <p id="resume-detail">
        <strong>{pending.info.title}</strong> stopped at step {pending.step} of{' '}
        {pending.request.steps} when the page closed; saved in this browser{' '}
        {savedTime(pending.savedAt)}.
      </p>
      <div className="buttons">
        <button type="button" disabled={!ready} onClick={() => void persistence()?.resumePending()}>
          Resume fine-tune from step {pending.step}
        </button>
        <button type="button" onClick={() => void persistence()?.discardPending()}>
          Discard
        </button>
      </div>
    </div>
  );
}
