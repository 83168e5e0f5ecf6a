// How many test samples the first analysis of a model captures: as many as fit a time budget on
// this backend, never more than the user asked for. A real-size model on WASM would otherwise
// start with minutes of forward passes before the first picture.
import type { BackendInfo, DatasetInfo, ModelInfo } from '../../engine/apiTypes';

/** Seconds the first analysis of a model should take at most (one forward pass per sample). */
export const FIRST_ANALYSIS_SECONDS = 30;

/**
 * Forward-pass FLOP/s the engine reaches per backend (order of magnitude, for a budget only):
 * WASM ~15 GFLOP/s (a 1024² matmul ran at 12–19.6 GFLOP/s in Chromium, docs ENVIRONMENT);
 * WebGPU on a hardware adapter ~1.2 TFLOP/s (tfjs reaches a small share of a GPU's peak);
 * WebGPU on a software adapter is slower than WASM on the same CPU; WebGL between the two;
 * tfjs' plain-JS cpu backend ~1 GFLOP/s.
 */
export const FLOPS_PER_SECOND = {
  webgpu: 1.2e12,
  'webgpu-software': 5e9,
  webgl: 2e11,
  wasm: 1.5e10,
  cpu: 1e9,
} as const;

/** Fewer samples than this make CKA and per-layer accuracy too noisy to read: the floor. */
export const MIN_FIRST_SAMPLES = 64;

/** What the budget needs to know of a model: its size and the tokens one sample carries. */
export interface ModelCost {
  parameters: number;
  tokensPerSample: number;
}

export interface SampleBudget {
  /** Samples the analysis captures. */
  samples: number;
  /** The user asked for more than the budget allows. */
  capped: boolean;
  /** Estimated seconds of forward passes for `samples`. */
  seconds: number;
  /** The backend in words ("WASM", "the GPU"). */
  backend: string;
  /** What the rate behind `seconds` rests on (BudgetRate.basis). */
  basis: string;
}

/**
 * Forward FLOPs of one sample: 2 · parameters · tokens (each weight is one multiply-add per token;
 * attention's T² term is small beside it for T ≤ ~4·D).
 */
export function flopsPerSample(cost: ModelCost): number {
  return 2 * cost.parameters * cost.tokensPerSample;
}

/** A rate the budget divides by, with the backend and the rate's source in words. */
export interface BudgetRate {
  flops: number;
  /** The backend in words ("WASM", "the GPU (WebGPU)"). */
  label: string;
  /** What the rate rests on, for the note ("a matmul timed when WASM started: 12 GFLOP/s"). */
  basis: string;
}

const gflops = (flops: number) =>
  `${flops >= 1e10 ? Math.round(flops / 1e9) : (flops / 1e9).toPrecision(2)} GFLOP/s`;

/** The rate assumed on `backend` (FLOPS_PER_SECOND) and its name in words. */
function assumedRate(backend: Pick<BackendInfo, 'name' | 'gpu'>): { flops: number; label: string } {
  if (backend.name === 'webgpu')
    return backend.gpu && !backend.gpu.hardware
      ? { flops: FLOPS_PER_SECOND['webgpu-software'], label: 'WebGPU (software adapter)' }
      : { flops: FLOPS_PER_SECOND.webgpu, label: 'the GPU (WebGPU)' };
  if (backend.name === 'webgl') return { flops: FLOPS_PER_SECOND.webgl, label: 'WebGL' };
  if (backend.name === 'wasm') return { flops: FLOPS_PER_SECOND.wasm, label: 'WASM' };
  return { flops: FLOPS_PER_SECOND.cpu, label: 'the CPU backend' };
}

/**
 * The rate the budget uses on `backend`: the matmul rate the engine measured when the backend
 * started (a forward pass is nearly all matmuls), else the assumed FLOPS_PER_SECOND.
 */
export function backendRate(backend: Pick<BackendInfo, 'name' | 'gpu' | 'matmul'>): BudgetRate {
  const { flops, label } = assumedRate(backend);
  const measured = backend.matmul?.flopsPerSecond;
  if (measured !== undefined && Number.isFinite(measured) && measured > 0)
    return {
      flops: measured,
      label,
      basis: `a matmul timed when ${label} started: ${gflops(measured)}`,
    };
  return { flops, label, basis: `an assumed ${gflops(flops)} (no rate measured)` };
}

/** 1, 2 or 5 times a power of ten, at most `n` (1,062 → 1,000; 3,400 → 2,000). */
export function roundDownNice(n: number): number {
  if (n < 1) return 0;
  const p = 10 ** Math.floor(Math.log10(n));
  const step = [5, 2, 1].find((m) => m * p <= n)!;
  return step * p;
}

/**
 * The samples of a model's first analysis: what fits FIRST_ANALYSIS_SECONDS at the backend's
 * rate (measured, else assumed: backendRate), rounded down to 1/2/5·10^k, at least MIN_FIRST_SAMPLES, at most `requested`.
 * ViT-B/16 (86M parameters × 197 tokens ≈ 34 GFLOP a sample): 64 on WASM, 1,000 on a GPU;
 * the built-in 6-block width-64 models: all of `requested`.
 */
export function firstAnalysisSamples(
  cost: ModelCost,
  backend: Pick<BackendInfo, 'name' | 'gpu' | 'matmul'>,
  requested: number,
): SampleBudget {
  const { flops, label, basis } = backendRate(backend);
  const perSample = flopsPerSample(cost) / flops;
  const fits = roundDownNice((FIRST_ANALYSIS_SECONDS / perSample) | 0);
  const samples = Math.min(requested, Math.max(MIN_FIRST_SAMPLES, fits));
  return {
    samples,
    capped: samples < requested,
    seconds: samples * perSample,
    backend: label,
    basis,
  };
}

/**
 * A model's size and tokens per sample: the engine's numbers where it gave them, else estimated
 * from the list entry — 12·L·D² parameters (attention 4·D², MLP 8·D² per block), and the
 * dataset's tokens (text) or a 16-pixel patch grid plus the class token (images).
 */
export function modelCost(model: ModelInfo, dataset: DatasetInfo | undefined): ModelCost {
  const parameters = model.parameters ?? 12 * model.numLayers * model.hiddenSize ** 2;
  if (model.tokensPerSample) return { parameters, tokensPerSample: model.tokensPerSample };
  const shape = dataset?.inputShape ?? [];
  const tokensPerSample =
    model.kind === 'text'
      ? (shape[0] ?? 128)
      : 1 + Math.ceil((shape[0] ?? 224) / 16) * Math.ceil((shape[1] ?? 224) / 16);
  return { parameters, tokensPerSample };
}
