import { beforeEach, describe, expect, it } from 'vitest';
import type { GenerateResponse, LmExitsResponse } from '../../engine/apiTypes';
import { TaskAbortedError } from '../../engine/tasks';
import type { LmExitEngine } from '../engineViews';
import { resetStrata, useStrata } from '../store';
import { initialLensState, useLens, type LanguageModel } from './lensState';
import { initialLmExitState, useLmExit } from './lmExitState';
import { abortLmTask, runGeneration, runLmExits } from './runLmExits';
import type { GenerateRequest } from '../../engine/apiTypes';

const model: LanguageModel = {
  name: 'tiny',
  files: {
    config: { path: 'tiny/config.json', file: new Blob(['{}']) },
    weights: { path: 'tiny/model.safetensors', file: new Blob([]) },
  },
  summary: {
    architecture: 'GPT2LMHeadModel',
    numLayers: 2,
    hiddenSize: 8,
    vocabSize: 10,
    numHeads: 2,
    numKvHeads: 2,
    tiedHead: true,
  },
  maxPositions: 16,
};

const sweep = (tokens: number): LmExitsResponse => ({
  architecture: 'GPT2LMHeadModel',
  layers: 2,
  tokens,
  curves: {},
  unusedTensors: [],
});
const generated: GenerateResponse = {
  architecture: 'GPT2LMHeadModel',
  layers: 2,
  samples: [{ prompt: [1], tokens: [{ token: 3, exitLayer: 1, confidence: 0.5 }] }],
  unusedTensors: [],
};

const alerts = () => useStrata.getState().ui.alerts.map((a) => `${a.kind}: ${a.text}`);

describe('the LM early-exit runners', () => {
  beforeEach(() => {
    resetStrata();
    useLens.setState({ ...initialLensState(), model });
    useLmExit.setState(initialLmExitState());
  });

  it('keeps the sweep on show when a later one fails, and says why naming the model', async () => {
    await runLmExits({ lmExits: async () => sweep(7) } as unknown as LmExitEngine);
    const kept = useLmExit.getState().result;
    expect(kept?.response.tokens).toBe(7);
    await runLmExits({
      lmExits: async () => {
        throw new Error('tiny/model.safetensors: truncated');
      },
    } as unknown as LmExitEngine);
    expect(useLmExit.getState().result).toBe(kept);
    expect(useLmExit.getState().running).toBeNull();
    expect(alerts()).toEqual([
      'error: Early exit of tiny failed: tiny/model.safetensors: truncated',
    ]);
  });

  it('Cancel aborts the generation’s signal from its token progress and keeps the last output', async () => {
    await runGeneration({ generate: async () => generated } as unknown as LmExitEngine);
    const kept = useLmExit.getState().generated;
    const labels: string[] = [];
    const engine = {
      generate: (_r: unknown, onProgress: (e: object) => void, signal: AbortSignal) =>
        new Promise((_, reject) => {
          signal.addEventListener('abort', () => reject(new TaskAbortedError('generation')));
          onProgress({ phase: 'tokens', done: 1, total: 12 });
          labels.push(
            `${useLmExit.getState().generating!.label} ${useLmExit.getState().generating!.done}`,
          );
          abortLmTask('generating');
        }),
    } as unknown as LmExitEngine;
    await runGeneration(engine);
    expect(labels).toEqual(['Generation by tiny: tokens 1']);
    expect(useLmExit.getState().generated).toBe(kept);
    expect(useLmExit.getState().generating).toBeNull();
    expect(alerts()).toEqual(['notice: Generation by tiny cancelled; the view is unchanged.']);
  });

  it('asks a built-in LM never to generate [PAD] or [UNK]; a dropped model generates any token', async () => {
    const asked: GenerateRequest[] = [];
    const engine = {
      generate: async (r: GenerateRequest) => (asked.push(r), generated),
    } as unknown as LmExitEngine;
    await runGeneration(engine);
    useLens.setState({ model: { ...model, builtin: 'imdb-lm-standard' } });
    await runGeneration(engine);
    expect(asked.map((r) => r.suppress)).toEqual([undefined, [0, 1]]);
  });
});
