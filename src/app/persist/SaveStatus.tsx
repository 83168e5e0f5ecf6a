import { usePersist } from './persistState';

/**
 * Where saving stands, under the fine-tune's progress bar. `data-saved-step` carries the newest
 * saved step for scripts and end-to-end checks.
 */
export function SaveStatus() {
  const saved = usePersist((s) => s.lastSaved);
  const failed = usePersist((s) => s.lastSaveFailed);
  const count = usePersist((s) => s.savedCount);
  const available = usePersist((s) => s.available);
  let text: string;
  if (!available)
    text = 'Browser storage is not available: export the session to keep a fine-tune.';
  else if (failed && (!saved || failed.step > saved.step))
    text = `Not saved at step ${failed.step} (browser storage failed); export the session to keep it.`;
  else if (saved)
    text = `Saved in this browser at step ${saved.step} (${count} fine-tune${count === 1 ? '' : 's'} saved).`;
  else if (count > 0) text = `${count} fine-tune${count === 1 ? '' : 's'} saved in this browser.`;
  else text = 'Fine-tunes are saved in this browser as they train.';
  return (
    <p
      className="save-status"
      data-testid="save-status"
      data-saved-step={saved?.step ?? ''}
      data-saved-id={saved?.id ?? ''}
    >
      {text}
    </p>
  );
}
