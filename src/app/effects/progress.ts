// Progress events of engine calls, as the page shows them.
import type { StrataStore } from '../store';
import type { Channel } from '../state/run';

/**
 * A progress callback for an engine call on `channel`. Events come through their own comlink
 * channel, so the last one can arrive after the call's result: an event for a channel that is no
 * longer busy is dropped, or the finished task's bar would come back and stay.
 */
export function progressTo(store: StrataStore, channel: Channel) {
  return (e: { phase: string; done: number; total: number }): void => {
    const { run, setTask } = store.getState();
    if (!(channel in run.tasks)) return;
    setTask(channel, { phase: e.phase, done: e.done, total: e.total });
  };
}
