import { describe, expect, it, vi } from 'vitest';
import type { ModelInfo, TrainEvent, TrainRequest } from '../apiTypes';
import type { Dataset, TextEncoder } from '../data/types';
import type { LmTrainingSession } from './lmTraining';
import type { ModelRegistry } from './models';
import type { TrainingSession } from './training';
import { createTrainingApi, type TrainingApiDeps } from './trainingApi';

/** Sessions that record calls; `running` says whether a run of that kind is live. */
function fakeSessions() {
  const calls: string[] = [];
  const session = (kind: string) => ({
    running: false,
    pause: () => calls.push(`${kind} pause`),
    resume: () => calls.push(`${kind} resume`),
    stop: () => calls.push(`${kind} stop`),
  });
  const training = { ...session('classifier'), start: vi.fn(), resumeFrom: vi.fn() };
  const lmTraining = { ...session('lm'), start: vi.fn() };
  return { calls, training, lmTraining };
}

function api(overrides: Partial<TrainingApiDeps> = {}) {
  const sessions = fakeSessions();
  const tasks: (string | undefined)[] = [];
  const deps: TrainingApiDeps = {
    requireBackend: () => undefined,
    withTask: (task, call) => {
      tasks.push(task);
      return call(new AbortController().signal);
    },
    guarded: (call) => call(),
    training: sessions.training as unknown as TrainingSession,
    lmTraining: sessions.lmTraining as unknown as LmTrainingSession,
    models: { info: (id: string) => ({ id }), has: () => true } as unknown as ModelRegistry,
    userDatasets: { dataset: () => undefined },
    loadCatalogue: async () => undefined,
    dataset: async () => ({}) as Dataset,
    modelAndData: async () => ({ model: {} as never, data: {} as Dataset }),
    textEncoderOf: async () => undefined,
    fineTuneEncoders: new Map(),
    ...overrides,
  };
  return { engine: createTrainingApi(deps), deps, tasks, ...sessions };
}

const request = { baseModelId: 'base', dataset: 'user-texts' } as TrainRequest;

describe('createTrainingApi', () => {
  it('refuses a classifier fine-tune while a language-model one runs, and the reverse', async () => {
    const a = api();
    a.lmTraining.running = true;
    await expect(a.engine.startTraining(request, () => undefined)).rejects.toThrow(
      'a language-model fine-tune is running: stop it before starting another',
    );
    expect(a.training.start).not.toHaveBeenCalled();
    expect(a.tasks).toEqual([]);

    const b = api();
    b.training.running = true;
    await expect(b.engine.startLmTraining({} as never, () => undefined)).rejects.toThrow(
      'a classifier fine-tune is running: stop it before starting another',
    );
    expect(b.lmTraining.start).not.toHaveBeenCalled();
  });

  it('starts no language-model fine-tune before the backend is up', async () => {
    const { engine, lmTraining } = api({
      requireBackend: () => {
        throw new Error('engine: init() must be called before any computation');
      },
    });
    await expect(engine.startLmTraining({} as never, () => undefined)).rejects.toThrow('init()');
    expect(lmTraining.start).not.toHaveBeenCalled();
  });

  it('pause, resume and stop reach both kinds of run', async () => {
    const { engine, calls } = api();
    await engine.pauseTraining();
    await engine.resumeTraining();
    await engine.stopTraining();
    expect(calls).toEqual([
      'classifier pause',
      'lm pause',
      'classifier resume',
      'lm resume',
      'classifier stop',
      'lm stop',
    ]);
  });

  it("runs under the caller's task and keeps a text fine-tune's tokenizer under its new id", async () => {
    const encoder = { source: 'base tokenizer' } as unknown as TextEncoder;
    const data = { feed: { kind: 'text', encoder } } as unknown as Dataset;
    const a = api({ modelAndData: async () => ({ model: {} as never, data }) });
    const info = { id: 'finetuned-1' } as ModelInfo;
    a.training.start.mockImplementation(
      async (_m, _i, _d, _r, listen: (e: TrainEvent) => void, options) => {
        expect(options.signal).toBeInstanceOf(AbortSignal);
        listen({ type: 'checkpoint', model: info } as TrainEvent);
        return info;
      },
    );
    const events: TrainEvent[] = [];
    await expect(
      a.engine.startTraining(request, (e) => events.push(e), { task: 'tune' }),
    ).resolves.toBe(info);
    expect(a.tasks).toEqual(['tune']);
    expect(events.map((e) => e.type)).toEqual(['preparing', 'checkpoint']);
    expect(a.deps.fineTuneEncoders.get('finetuned-1')).toBe(encoder);
  });
});
