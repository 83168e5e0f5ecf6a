// What the page and the engine share about a lost GPU device. No TensorFlow.js here: the page
// imports this file, and tfjs must stay out of the main-thread bundle.
import type { BackendInfo, BackendName } from './backend';

/** The name an engine call's error carries when the backend's device was lost under it. */
export const DEVICE_LOST_ERROR = 'DeviceLostError';

/** A call interrupted by the loss of the backend's device; asking again runs on the next backend. */
export class DeviceLostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = DEVICE_LOST_ERROR;
  }
}

const LOST_MESSAGE =
  /device (is |was |has been )?(lost|destroyed)|unmapped before mapping was resolved/i;

/**
 * Whether `e` says a GPU device was lost: our own DeviceLostError (its name survives the worker
 * boundary), or the browser's own message from an operation on a lost or destroyed device.
 */
export function isDeviceLostError(e: unknown): boolean {
  if (!e || typeof e !== 'object') return false;
  const { name, message } = e as { name?: unknown; message?: unknown };
  if (name === DEVICE_LOST_ERROR) return true;
  // A read-back pending when the device goes fails first, before `device.lost` resolves.
  return typeof message === 'string' && LOST_MESSAGE.test(message);
}

/** Sent to the page when the engine moved to another backend because its device was lost. */
export interface BackendChange {
  type: 'device-lost';
  /** The backend that lost its device, and the browser's message. */
  lost: { backend: BackendName; message: string };
  /** The backend the engine runs on now (its reason names the loss). */
  info: BackendInfo;
  /** In-memory models whose weights went with the device (fine-tunes are resumed from snapshots). */
  droppedModels: string[];
}

/**
 * Sent to the page when the device was lost and no other backend could start: the engine refuses
 * every further call with `message` (what happened and what to do).
 */
export interface BackendRestartFailed {
  type: 'restart-failed';
  lost: { backend: BackendName; message: string };
  message: string;
}

/** What the engine tells the page about its backend after a device loss. */
export type BackendEvent = BackendChange | BackendRestartFailed;
