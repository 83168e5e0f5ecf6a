import { describe, expect, it } from 'vitest';
import type { DatasetInfo, ModelInfo } from '../../engine/apiTypes';
import {
  backendRate,
  FIRST_ANALYSIS_SECONDS,
  firstAnalysisSamples,
  flopsPerSample,
  modelCost,
  roundDownNice,
} from './sampleBudget';
import { INITIAL_BUDGET, liftBudget, samplesFor, sampleBudgetOf } from './sampleBudgetState';

// ViT-B/16 on 224×224 images: 86M weights, 14·14 patches + the class token.
const VIT_B = { parameters: 86_000_000, tokensPerSample: 197 };
const wasm = { name: 'wasm' as const };
const gpu = { name: 'webgpu' as const, gpu: { hardware: true, description: 'nvidia' } };
const swiftshader = { name: 'webgpu' as const, gpu: { hardware: false, description: 'sw' } };

describe('the first analysis budget', () => {
  it('counts 2 · parameters · tokens FLOPs a sample', () => {
    expect(flopsPerSample(VIT_B)).toBe(2 * 86e6 * 197); // 33.9 GFLOP
  });

  it('rounds down to 1, 2 or 5 times a power of ten', () => {
    expect([1062, 999, 3400, 50_000, 7, 0.5].map(roundDownNice)).toEqual([
      1000, 500, 2000, 50_000, 5, 0,
    ]);
  });

  it('gives ViT-B 64 samples on WASM and 1,000 on a GPU', () => {
    const onWasm = firstAnalysisSamples(VIT_B, wasm, 1000);
    // 30 s at 15 GFLOP/s fits 13 samples: the floor of 64 holds, and the estimate says so.
    expect(onWasm).toMatchObject({ samples: 64, capped: true, backend: 'WASM' });
    expect(onWasm.seconds).toBeCloseTo((64 * 2 * 86e6 * 197) / 1.5e10, 6); // 144.6 s
    // 30 s at 1.2 TFLOP/s fits 1,062 samples.
    expect(firstAnalysisSamples(VIT_B, gpu, 5000)).toMatchObject({ samples: 1000, capped: true });
    expect(firstAnalysisSamples(VIT_B, gpu, 1000)).toMatchObject({ samples: 1000, capped: false });
    // A software adapter is slower than WASM: the floor again.
    expect(firstAnalysisSamples(VIT_B, swiftshader, 1000).samples).toBe(64);
  });

  it('never asks for more than requested, and gives the small built-ins all of it', () => {
    // A 6-block, width-64 model with 17 tokens: 0.3M weights.
    const builtin = { parameters: 12 * 6 * 64 * 64, tokensPerSample: 17 };
    expect(firstAnalysisSamples(builtin, wasm, 1000)).toMatchObject({
      samples: 1000,
      capped: false,
    });
    expect(firstAnalysisSamples(VIT_B, wasm, 20).samples).toBe(20);
    expect(firstAnalysisSamples(builtin, wasm, 1000).seconds).toBeLessThan(FIRST_ANALYSIS_SECONDS);
  });

  it('estimates a listed model from its layers and width when the engine gave no size', () => {
    const info = { numLayers: 12, hiddenSize: 768, kind: 'image' } as ModelInfo;
    const images = { inputShape: [224, 224, 3] } as DatasetInfo;
    expect(modelCost(info, images)).toEqual({
      parameters: 12 * 12 * 768 ** 2,
      tokensPerSample: 197,
    });
    const text = { numLayers: 2, hiddenSize: 64, kind: 'text' } as ModelInfo;
    expect(modelCost(text, { inputShape: [128] } as DatasetInfo).tokensPerSample).toBe(128);
    const known = { ...info, parameters: 5, tokensPerSample: 9 };
    expect(modelCost(known, images)).toEqual({ parameters: 5, tokensPerSample: 9 });
  });

  it('sizes on the rate the engine measured when the backend started, the assumed one only without it', () => {
    const timed = (flopsPerSecond: number) => ({
      ...wasm,
      matmul: { flopsPerSecond, rows: 256, reps: 8, ms: 30 },
    });
    // A fast machine's WASM at 1 TFLOP/s: 30 s fit 885 ViT-B samples → 500.
    const fast = firstAnalysisSamples(VIT_B, timed(1e12), 1000);
    expect(fast).toMatchObject({ samples: 500, capped: true, backend: 'WASM' });
    expect(fast.seconds).toBeCloseTo((500 * 2 * 86e6 * 197) / 1e12, 6);
    expect(fast.basis).toBe('a matmul timed when WASM started: 1000 GFLOP/s');
    // A GPU measured at 0.34 TFLOP/s, not the assumed 1.2: 300 fit → 200, not 1,000.
    const slowGpu = { ...gpu, matmul: { flopsPerSecond: 3.4e11, rows: 4096, reps: 8, ms: 25 } };
    expect(firstAnalysisSamples(VIT_B, slowGpu, 5000).samples).toBe(200);
    // A small built-in (10 MFLOP a sample) measured at 0.5 GFLOP/s: 30 s fit 1,495 → 1,000.
    const builtin = { parameters: 12 * 6 * 64 * 64, tokensPerSample: 17 };
    expect(firstAnalysisSamples(builtin, timed(5e8), 20_000).samples).toBe(1000);
    expect(backendRate(timed(5e8)).basis).toBe('a matmul timed when WASM started: 0.50 GFLOP/s');
    // No usable measurement: the assumed rate, and the note says so.
    for (const bad of [0, Number.NaN, Number.POSITIVE_INFINITY, -1])
      expect(backendRate(timed(bad))).toEqual({
        flops: 1.5e10,
        label: 'WASM',
        basis: 'an assumed 15 GFLOP/s (no rate measured)',
      });
    expect(firstAnalysisSamples(VIT_B, wasm, 1000).basis).toBe(
      'an assumed 15 GFLOP/s (no rate measured)',
    );
  });

  it('applies per model until the user lifts it', () => {
    const vit = { id: 'user-vit', dataset: 'pics', ...VIT_B } as unknown as ModelInfo;
    const state = {
      config: { samples: 1000 },
      results: { models: [vit], datasets: [] },
      run: { backendInfo: { name: 'wasm', adapter: '', reason: '' } as const },
      budget: INITIAL_BUDGET,
    };
    expect(samplesFor(state, 'user-vit')).toBe(64);
    // The backend the page was told of carries the engine's measured rate.
    const matmul = { flopsPerSecond: 1e12, rows: 4096, reps: 8, ms: 30 };
    const measured = { ...state, run: { backendInfo: { ...state.run.backendInfo, matmul } } };
    expect(samplesFor(measured, 'user-vit')).toBe(500);
    expect(sampleBudgetOf({ ...state, run: { backendInfo: null } }, 'user-vit')).toBeNull();
    const lifted = { ...state, budget: liftBudget(state.budget, 'user-vit') };
    expect(samplesFor(lifted, 'user-vit')).toBe(1000);
    expect(liftBudget(lifted.budget, 'user-vit')).toBe(lifted.budget);
  });
});
