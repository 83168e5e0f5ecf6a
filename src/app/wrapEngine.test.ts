import * as Comlink from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineApi } from '../engine/api';
import type { AnalysisRequest, ModelInfo, ProgressEvent, TrainEvent } from '../engine/apiTypes';
import { model } from './effects/testing';
import { ENGINE_METHODS, wrapEngine } from './wrapEngine';

const event: ProgressEvent = { phase: 'reading', done: 1, total: 2 };
const trainEvent: TrainEvent = { type: 'state', state: 'running', step: 3 };

/**
 * A stand-in for the worker behind a real MessageChannel: every method records what arrived and
 * calls back each function it was given, as the engine calls onProgress and onEvent.
 */
function exposedEngine() {
  const { port1, port2 } = new MessageChannel();
  const received: { method: string; args: unknown[] }[] = [];
  const worker = Object.fromEntries(
    ENGINE_METHODS.map((method) => [
      method,
      async (...args: unknown[]) => {
        received.push({ method, args });
        for (const arg of args)
          if (typeof arg === 'function') await arg(method === 'startTraining' ? trainEvent : event);
        return method === 'registerCheckpoint' ? (args[0] as ModelInfo) : `${method} done`;
      },
    ]),
  );
  Comlink.expose(worker, port1);
  const remote = Comlink.wrap<EngineApi>(port2);
  return { engine: wrapEngine(remote), received, close: () => (port1.close(), port2.close()) };
}

let close = () => {};
afterEach(() => close());

describe('wrapEngine', () => {
  it('has every engine method, and hands the worker callbacks it can call back', async () => {
    const w = exposedEngine();
    close = w.close;
    expect(Object.keys(w.engine).sort()).toEqual([...ENGINE_METHODS].sort());
    const progress: ProgressEvent[] = [];
    const train: TrainEvent[] = [];
    const backend: unknown[] = [];
    await expect(w.engine.loadDataset('mnist', (e) => progress.push(e))).resolves.toBe(
      'loadDataset done',
    );
    await w.engine.startTraining(
      { baseModelId: 'mnist-aligned' } as Parameters<EngineApi['startTraining']>[0],
      (e) => train.push(e),
      { snapshotEvery: 2 },
    );
    await w.engine.watchBackend((change) => backend.push(change));
    expect(progress).toEqual([event]);
    expect(train).toEqual([trainEvent]);
    expect(backend).toEqual([event]);
    expect(w.received[1].args[2]).toEqual({ snapshotEvery: 2 });
  });

  it('sends only the arguments given, and copies bytes instead of moving them', async () => {
    const w = exposedEngine();
    close = w.close;
    await w.engine.analyze({ modelId: 'm' } as AnalysisRequest);
    expect(w.received[0]).toEqual({ method: 'analyze', args: [{ modelId: 'm' }] });
    // The checkpoint's bytes are views into one larger buffer, as in an unzipped session.
    const whole = new Uint8Array([9, 1, 2, 3, 4, 9]);
    const weights = whole.subarray(1, 5);
    const info = model('saved-1', 'aligned');
    await expect(
      w.engine.registerCheckpoint(info, { weights, config: new Uint8Array([7]) }),
    ).resolves.toEqual(info);
    const files = w.received[1].args[1] as { weights: Uint8Array };
    expect([...files.weights]).toEqual([1, 2, 3, 4]);
    expect(whole.byteLength).toBe(6);
    expect([...weights]).toEqual([1, 2, 3, 4]);
  });

  it('sends a call made with an AbortSignal under a task id, and its abort as abortTask(id)', async () => {
    const w = exposedEngine();
    close = w.close;
    const controller = new AbortController();
    await w.engine.exitTradeoff(
      { modelId: 'm' } as Parameters<EngineApi['exitTradeoff']>[0],
      undefined,
      controller.signal,
    );
    const sent = w.received[0].args;
    expect(sent).toHaveLength(3);
    expect(typeof sent[2]).toBe('string');
    // The call has ended: aborting later must not reach the engine.
    controller.abort();
    await new Promise((r) => setTimeout(r, 20));
    expect(w.received.map((r) => r.method)).toEqual(['exitTradeoff']);

    const live = new AbortController();
    const pending = w.engine.analyze({ modelId: 'm' } as AnalysisRequest, undefined, live.signal);
    live.abort();
    await pending;
    await new Promise((r) => setTimeout(r, 20));
    const task = w.received[1].args[2];
    expect(w.received.slice(1).map((r) => [r.method, r.args.at(-1)])).toEqual([
      ['analyze', task],
      ['abortTask', task],
    ]);
  });
});
