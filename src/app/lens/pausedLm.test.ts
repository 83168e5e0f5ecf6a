import { beforeEach, describe, expect, it, vi } from 'vitest';
import type {
  LmTrainEvent,
  LmTrainOptions,
  LmTrainRequest,
  LmTrainResult,
} from '../../engine/apiTypes';
import { memoryStore } from '../persist/keyValueStore';
import { initialLmTuneState, useLmTune } from './lmTuneState';
import {
  dropPausedLm,
  PAUSED_LM_KEY,
  pausedLmRecord,
  pausedLmResume,
  restorePausedLm,
  savePausedLm,
} from './pausedLm';
import { resumePausedLmTune, type LmTuneEngine } from './runLmTune';
import { setTunedLmStore } from './tunedLms';

const file = (path: string, bytes: number[]) => ({ path, file: new Blob([new Uint8Array(bytes)]) });
const request: LmTrainRequest = {
  files: {
    config: file('lm/config.json', [123, 125]),
    weights: file('lm/model.safetensors', [9, 9, 9, 9]),
    tokenizer: file('lm/tokenizer.json', [1, 2]),
  },
  source: 'imdb-lm-standard',
  train: {
    input: [{ name: 'input_ids', dtype: 'int32', shape: [1, 3], data: new Int32Array([5, 6, 7]) }],
  },
  heldOut: { text: { texts: ['a b', 'c d'], source: 'held out' } },
  loss: 'aligned',
  weighting: 'linear',
  steps: 30,
  batchSize: 8,
  lr: 1e-3,
  seed: 0,
  maxLength: 32,
  evalEvery: 10,
};
const NAME = 'imdb-lm-standard → aligned, 30 steps, lr 1e-3';
const snapshot = (step: number) => ({
  step,
  weights: new Uint8Array([step, 1, 2]),
  optimizer: new Uint8Array([step, 3]),
});
const lens = { layers: [0], accuracy: [0.1], loss: [4], tokens: 10, kl: [0], rank: [1] };
const evalAt = (step: number) => ({ step, kind: 'quick' as const, rows: 32, lens });
const bytesOf = async (b: Blob) => [...new Uint8Array(await b.arrayBuffer())];

/** An engine whose run emits `events` and then ends done at its last step. */
function fakeEngine(events: LmTrainEvent[]) {
  const calls: { request: LmTrainRequest; options?: LmTrainOptions }[] = [];
  const engine: LmTuneEngine = {
    async startLmTraining(r, onEvent, options) {
      calls.push({ request: r, options });
      events.forEach(onEvent);
      await new Promise((next) => setTimeout(next, 0));
      const result: LmTrainResult = {
        name: NAME,
        state: 'done',
        step: r.steps,
        config: new Uint8Array([123, 125]),
        snapshot: snapshot(r.steps),
      };
      return result;
    },
    pauseTraining: async () => undefined,
    resumeTraining: async () => undefined,
    stopTraining: async () => undefined,
  };
  return { engine, calls };
}

describe('a paused LM fine-tune kept across reloads', () => {
  beforeEach(() => useLmTune.setState(initialLmTuneState()));

  it('is stored, found after a reload, and resumed from its step to its last', async () => {
    const store = memoryStore();
    setTunedLmStore(store);
    const run = { name: NAME, base: 'imdb LM · standard', builtin: 'imdb-lm-standard' };
    const evals = [evalAt(0), evalAt(10), evalAt(20)];
    await savePausedLm(await pausedLmRecord(request, { ...run, evals }, snapshot(12)));

    useLmTune.setState(initialLmTuneState()); // a reload
    await restorePausedLm();
    const paused = useLmTune.getState().paused!;
    expect(paused.name).toBe(NAME);
    expect(paused.snapshot.step).toBe(12);
    // Evaluations after the pause's step were not the snapshot's.
    expect(paused.evals.map((e) => e.step)).toEqual([0, 10]);

    const { request: again, resumeFrom } = pausedLmResume(paused);
    expect(resumeFrom).toEqual(snapshot(12));
    const { files, ...rest } = again;
    const { files: _f, ...before } = request;
    void _f;
    expect(rest).toEqual(before);
    expect(await bytesOf(files.config.file)).toEqual([123, 125]);
    expect(await bytesOf(files.tokenizer!.file)).toEqual([1, 2]);
    // The engine loads the snapshot's weights, not the base's (which are not stored).
    expect(await bytesOf(files.weights.file)).toEqual([12, 1, 2]);

    const { engine, calls } = fakeEngine([{ type: 'state', state: 'running', step: 12 }]);
    const resuming = resumePausedLmTune(engine);
    expect(useLmTune.getState().run).toMatchObject({ name: NAME, step: 12, steps: 30 });
    expect(useLmTune.getState().paused).toBeNull();
    await resuming;
    expect(calls).toHaveLength(1);
    expect(calls[0].options?.resumeFrom).toEqual(snapshot(12));
    expect(calls[0].request.steps).toBe(30);
    const end = useLmTune.getState();
    expect(end.run).toMatchObject({ name: NAME, state: 'done', step: 30 });
    expect(end.run!.evals.map((e) => e.step)).toEqual([0, 10]);
    // Finished: listed in the picker with its base, and no longer offered.
    expect(end.tuned.map((t) => [t.name, t.record.builtin])).toEqual([[NAME, 'imdb-lm-standard']]);
    expect(end.tuned[0].record.files['tokenizer.json']).toEqual(new Uint8Array([1, 2]));
    expect(store.data.has(PAUSED_LM_KEY)).toBe(false);
  });

  it('stores each pause of the run, replacing the older one', async () => {
    const store = memoryStore();
    setTunedLmStore(store);
    const run = { name: NAME, base: 'imdb LM · standard', evals: [evalAt(0)] };
    await savePausedLm(await pausedLmRecord(request, run, snapshot(5)));
    await restorePausedLm();
    let stored: unknown = null;
    const { engine } = fakeEngine([
      { type: 'eval', log: evalAt(10) },
      { type: 'state', state: 'paused', step: 17 },
      { type: 'snapshot', snapshot: snapshot(17) },
    ]);
    const spy: LmTuneEngine = {
      ...engine,
      async startLmTraining(r, onEvent, options) {
        const out = engine.startLmTraining(r, onEvent, options);
        // Stored while the run is paused, before it ends.
        await vi.waitFor(async () => {
          stored = await store.get(PAUSED_LM_KEY);
          expect(stored).toMatchObject({ snapshot: { step: 17 } });
        });
        return out;
      },
    };
    await resumePausedLmTune(spy);
    expect(stored).toMatchObject({ name: NAME, snapshot: snapshot(17) });
    expect((stored as { evals: { step: number }[] }).evals.map((e) => e.step)).toEqual([0, 10]);
  });

  it('is deleted by Discard, and not offered after the next reload', async () => {
    const store = memoryStore();
    setTunedLmStore(store);
    const run = { name: NAME, base: 'imdb LM · standard', evals: [] };
    await savePausedLm(await pausedLmRecord(request, run, snapshot(5)));
    await restorePausedLm();
    expect(useLmTune.getState().paused?.snapshot.step).toBe(5);
    await dropPausedLm();
    expect(useLmTune.getState().paused).toBeNull();
    expect(store.data.has(PAUSED_LM_KEY)).toBe(false);
    await restorePausedLm();
    expect(useLmTune.getState().paused).toBeNull();
  });

  it('offers nothing when the store holds no paused run or a malformed one', async () => {
    const store = memoryStore();
    setTunedLmStore(store);
    await restorePausedLm();
    expect(useLmTune.getState().paused).toBeNull();
    await store.set(PAUSED_LM_KEY, { name: 'x', snapshot: { step: 3 } });
    await restorePausedLm();
    expect(useLmTune.getState().paused).toBeNull();
  });
});
