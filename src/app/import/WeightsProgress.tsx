import type { ProgressEvent } from '../../engine/apiTypes';
import { formatMemory } from '../state/fineTuneCost';
import { pageEngine } from '../useEngine';
import { cancelWeightsLoad, useWeightsLoad } from './weightsLoad';

/** "Weights: 100 MB of 343 MB (50 of 200 tensors)". */
export function weightsProgressText(event: ProgressEvent): string {
  const tensors = event.tensors ? ` (${event.tensors.done} of ${event.tensors.total} tensors)` : '';
  return `Weights: ${formatMemory(event.done)} of ${formatMemory(event.total)}${tensors}`;
}

/**
 * The reviewed model's weights loading in the background: bytes and tensors, and a Cancel that
 * stops the load and frees what it read (and the review). Once loaded, says so.
 */
export function WeightsProgress({ bytes, tensors }: { bytes: number; tensors: number }) {
  const load = useWeightsLoad((s) => s.load);
  if (!load) return null;
  if (load.state === 'loaded')
    return (
      <p className="panel-help" data-testid="weights-progress">
        Weights loaded: {formatMemory(bytes)}, {tensors} tensors.
      </p>
    );
  const label = 'Loading the weights';
  const { event } = load;
  return (
    <div className="task-progress task-progress-wrap" data-testid="weights-progress">
      <progress aria-label={label} max={bytes} value={event?.done ?? 0} />
      <span aria-live="polite">
        {event ? weightsProgressText(event) : `Weights: 0 MB of ${formatMemory(bytes)}`}
        {load.queued ? ' — the model opens when they are in' : ''}
      </span>
      {/* "Stop", not "Cancel": the review's own Cancel sits beside it. */}
      <button
        type="button"
        aria-label="Stop loading the weights"
        onClick={() => cancelWeightsLoad(pageEngine)}
      >
        Stop
      </button>
    </div>
  );
}
