import { describe, expect, it } from 'vitest';
import { isTaskAborted } from '../engine/tasks';
import { callAsTask } from './engineTasks';

describe('callAsTask', () => {
  it('names the call with a fresh task id and aborts that task when the signal aborts', async () => {
    const aborted: string[] = [];
    const abortTask = async (task: string) => void aborted.push(task);
    const controller = new AbortController();
    const ids: (string | undefined)[] = [];
    let stop!: () => void;
    const call = callAsTask(controller.signal, abortTask, (task) => {
      ids.push(task);
      return new Promise<void>((_, reject) => (stop = () => reject(new Error('stopped'))));
    });
    const other = callAsTask(new AbortController().signal, abortTask, async (task) => task);
    expect(await other).not.toBe(ids[0]);
    controller.abort();
    expect(aborted).toEqual([ids[0]]);
    stop();
    await expect(call).rejects.toThrow('stopped');
    controller.signal.dispatchEvent(new Event('abort'));
    expect(aborted).toHaveLength(1);
  });

  it('calls without a task id when there is no signal, and not at all when aborted already', async () => {
    const abortTask = async () => undefined;
    expect(await callAsTask(undefined, abortTask, async (task) => task)).toBeUndefined();
    const controller = new AbortController();
    controller.abort();
    let called = false;
    const outcome = await callAsTask(controller.signal, abortTask, async () => {
      called = true;
    }).catch((e: unknown) => e);
    expect(called).toBe(false);
    expect(isTaskAborted(outcome)).toBe(true);
  });

  it('does not let a gone engine turn an abort into an unhandled rejection', async () => {
    const controller = new AbortController();
    const call = callAsTask(
      controller.signal,
      () => Promise.reject(new Error('worker terminated')),
      async () => 'done',
    );
    controller.abort();
    expect(await call).toBe('done');
  });
});
