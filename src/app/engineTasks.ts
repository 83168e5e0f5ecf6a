// The page's side of stopping engine work: AbortSignal cannot cross the worker boundary, so a
// call made with a signal gets a fresh task id, and the signal's abort becomes abortTask(id).
import { TaskAbortedError } from '../engine/tasks';

let tasks = 0;

/**
 * Runs `call` under a fresh task id when `signal` is given (`undefined` otherwise); aborting the
 * signal asks the engine to abortTask(id), and the call then rejects with a TaskAbortedError. A
 * signal aborted already rejects at once, without calling the engine.
 */
export function callAsTask<T>(
  signal: AbortSignal | undefined,
  abortTask: (task: string) => Promise<void>,
  call: (task: string | undefined) => Promise<T>,
): Promise<T> {
  if (!signal) return call(undefined);
  if (signal.aborted) return Promise.reject(new TaskAbortedError('engine call'));
  tasks += 1;
  const task = `task-${tasks}`;
  // The engine may already be gone (a reload); there is then nothing to stop.
  const abort = () => void abortTask(task).catch(() => undefined);
  signal.addEventListener('abort', abort, { once: true });
  let pending: Promise<T>;
  try {
    pending = call(task);
  } catch (e) {
    pending = Promise.reject(e);
  }
  return pending.finally(() => signal.removeEventListener('abort', abort));
}
