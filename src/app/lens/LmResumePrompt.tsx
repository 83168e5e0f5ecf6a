import { useStrata } from '../store';
import { dropPausedLm } from './pausedLm';
import { useLmTune } from './lmTuneState';
import { resumePausedLmTune } from './runLmTune';

/**
 * Offered when the page finds an LM fine-tune paused when it last closed: continue it from the
 * step it paused at, to its last step, or throw it away.
 */
export function LmResumePrompt() {
  const paused = useLmTune((s) => s.paused);
  // The engine takes a moment to start after a reload.
  const ready = useStrata((s) => s.run.status === 'ready');
  if (!paused) return null;
  const { step } = paused.snapshot;
  return (
    <div
      className="resume-prompt"
      role="group"
      aria-labelledby="lm-resume-title"
      data-testid="lm-resume-prompt"
    >
      <p id="lm-resume-title" className="resume-title">
        Unfinished LM fine-tune found
      </p>
      <p>
        <strong>{paused.name}</strong> paused at step {step} of {paused.request.steps}; saved in
        this browser.
      </p>
      <div className="buttons">
        <button type="button" disabled={!ready} onClick={() => void resumePausedLmTune()}>
          Resume LM fine-tune from step {step}
        </button>
        <button type="button" onClick={() => void dropPausedLm()}>
          Discard
        </button>
      </div>
    </div>
  );
}
