// A built-in dataset's load stops when its task is aborted: between two of its files, with the
// files after it never read, nothing kept, and a later load of the same dataset starting afresh.
import { describe, expect, it } from 'vitest';
import { createEngine, type ProgressEvent } from './api';
import { nodeEngineHost } from './nodeHost';
import { isTaskAborted } from './tasks';

/** An engine whose host counts the dataset files it is asked for. */
function countingEngine() {
  const host = nodeEngineHost();
  const reads: string[] = [];
  const engine = createEngine({
    ...host,
    readAsset: (path) => {
      if (path.startsWith('datasets/fashion-mnist/')) reads.push(path);
      return host.readAsset(path);
    },
  });
  return { engine, reads };
}

describe('loadDataset with a task', () => {
  it('stops between files when aborted, rejects as aborted, and keeps nothing', async () => {
    const { engine, reads } = countingEngine();
    await engine.init({ backend: 'cpu' });
    const before = await engine.numTensors();
    const progress: ProgressEvent[] = [];
    const error = await engine
      .loadDataset(
        'fashion-mnist',
        (e) => {
          progress.push(e);
          if (progress.length === 1) void engine.abortTask('load-1');
        },
        'load-1',
      )
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(isTaskAborted(error)).toBe(true);
    expect(String(error)).toContain('loading dataset fashion-mnist');
    // Four files (train and test, images and labels): the abort after the first stops the rest.
    expect(progress.map((e) => e.done)).toEqual([1]);
    expect(reads.length).toBeLessThan(4);
    expect(await engine.numTensors()).toBe(before);

    // The aborted load was dropped, not cached half done: the next call loads the whole dataset.
    const summary = await engine.loadDataset('fashion-mnist');
    expect(summary.testCount).toBe(10_000);
    expect(reads.length).toBeGreaterThanOrEqual(4 + 1);
  }, 60_000);
});
