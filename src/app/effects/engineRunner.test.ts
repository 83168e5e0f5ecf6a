import { describe, expect, it } from 'vitest';
import { createStrataStore } from '../store';
import { StaleRequestError } from './engineQueue';
import { createEngineRunner } from './engineRunner';
import { settle } from './testing';

function setup() {
  const store = createStrataStore();
  const answers = new Map<string, { resolve(r: string): void; reject(e: unknown): void }>();
  const staleAtStart: boolean[] = [];
  const results: string[] = [];
  const runner = createEngineRunner<string, string>(store, {
    channel: 'exits',
    run: (q, signal) =>
      new Promise((resolve, reject) => {
        answers.set(q, { resolve, reject });
        // Read after the caller returns, as the engine queue does when the job's turn comes.
        queueMicrotask(() => staleAtStart.push(signal.aborted));
      }),
    onResult: (r) => results.push(r),
    failed: (q) => `Early exit of ${q ?? 'the model'} failed`,
    quiet: (e) => e instanceof Error && e.message === 'lost',
  });
  const alerts = () => store.getState().ui.alerts.map((a) => a.text);
  return { store, runner, answers, staleAtStart, results, alerts };
}

describe('createEngineRunner', () => {
  it('shows its channel busy while a request runs, then delivers the newest result', async () => {
    const { store, runner, answers, staleAtStart, results } = setup();
    runner.request('a', 'a');
    expect(store.getState().run.tasks).toEqual({ exits: null });
    runner.request('b', 'b');
    await settle();
    // The newer request waits behind the one in flight, which then knows it is stale.
    expect(staleAtStart).toEqual([true]);
    answers.get('a')!.resolve('A');
    await settle();
    expect(results).toEqual([]);
    expect(store.getState().run.tasks).toEqual({ exits: null });
    answers.get('b')!.resolve('B');
    await settle();
    expect(results).toEqual(['B']);
    expect(store.getState().run.tasks).toEqual({});
  });

  it('says what failed, and nothing for a superseded request or a quiet failure', async () => {
    const { store, runner, answers, alerts } = setup();
    runner.request('m1', 'm1');
    answers.get('m1')!.reject(new Error('m1.safetensors: tensor x has shape [2], expected [3]'));
    await settle();
    expect(alerts()).toEqual([
      'Early exit of m1 failed: m1.safetensors: tensor x has shape [2], expected [3]',
    ]);
    runner.request('m2', 'm2');
    answers.get('m2')!.reject(new StaleRequestError());
    await settle();
    runner.request('m3', 'm3');
    answers.get('m3')!.reject(new Error('lost'));
    await settle();
    expect(alerts()).toHaveLength(1);
    expect(store.getState().run.tasks).toEqual({});
  });
});
