// The page's side of a lost GPU device: calls interrupted by it are asked again (the engine runs
// them on its next backend), and the switch itself is shown in the badge and one alert.
import type { BackendChange, BackendEvent } from '../../engine/deviceLoss';
import { isDeviceLostError } from '../../engine/deviceLoss';
import type { StrataStore } from '../store';

/** Tries per call: each loss moves the engine one backend down, so a few are enough. */
const TRIES = 3;

/** Runs `call`, asking again when a device loss interrupted it. */
export async function retryOnDeviceLoss<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      if (attempt >= TRIES || !isDeviceLostError(e)) throw e;
    }
  }
}

/** The alert for a backend change: what was lost, where the engine runs now, what happens next. */
export function deviceLostAlert(change: BackendChange): string {
  const lost = change.lost.backend === 'webgpu' ? 'WebGPU' : change.lost.backend;
  const dropped = change.droppedModels.length
    ? ` Lost with it: ${change.droppedModels.join(', ')} (a running fine-tune resumes from its last snapshot).`
    : '';
  return `${lost} device lost: ${change.lost.message}; now on ${change.info.name}. Interrupted work runs again there.${dropped}`;
}

/**
 * Puts a backend change in the store: the badge names the new backend, one alert says why. When
 * no backend could start, the badge shows the engine failed and the alert says what to do.
 */
export function applyBackendChange(store: StrataStore, change: BackendEvent): void {
  const { setRun, addAlert } = store.getState();
  if (change.type === 'restart-failed') {
    setRun({ status: 'failed', error: change.message });
    addAlert('error', change.message);
    return;
  }
  setRun({ status: 'ready', backendInfo: change.info, error: null });
  addAlert('notice', deviceLostAlert(change));
}

/**
 * The page's listener for the engine's backend events: the badge and alert, then (after a loss)
 * the fine-tunes that went with the device come back from storage or leave the pickers.
 */
export function onBackendEvent(
  store: StrataStore,
  change: BackendEvent,
  explorer: { afterDeviceLoss(): Promise<void> } | null,
): void {
  applyBackendChange(store, change);
  if (change.type === 'device-lost') void explorer?.afterDeviceLoss();
}
