// What a fine-tune will cost before it starts: memory for the weights, their gradients, AdamW's two
// moment estimates and the batch's activations, and the time a step takes; and whether the
// backend can hold it at all (a real-size model on WASM or on a small GPU buffer cannot).
import type { BackendInfo } from '../../engine/apiTypes';
import type { GpuBufferLimits } from '../../engine/gpuLimits';
import type { ResultsSlice } from './results';
import { backendRate, modelCost, type ModelCost } from './sampleBudget';

const FLOAT_BYTES = 4;

/**
 * Memory the backend can hold in all, where it has a hard limit: WASM's 32-bit memory (4 GiB)
 * and the plain-JS cpu backend (a tab's heap, of the same order). WebGPU and WebGL expose no total;
 * WebGPU bounds each buffer instead (maxBufferSize, checked on the largest tensor).
 */
export const MEMORY_LIMITS: Partial<Record<BackendInfo['name'], { bytes: number; why: string }>> = {
  wasm: { bytes: 2 ** 32, why: "WASM's 32-bit memory" },
  cpu: { bytes: 2 ** 32, why: "the tab's JavaScript heap" },
};

/** A model as the cost needs it: size, tokens, depth and width. */
export interface FineTuneShape extends ModelCost {
  numLayers: number;
  hiddenSize: number;
}

export interface FineTuneCost {
  weights: number;
  gradients: number;
  /** AdamW's first and second moments: two more copies of the weights. */
  adamw: number;
  activations: number;
  total: number;
  /** The largest single tensor of a step (the attention scores of one block, or its MLP). */
  largestTensor: number;
  /** Estimated seconds a step takes at the backend's assumed rate. */
  secondsPerStep: number;
  /** Why the backend cannot hold it, naming the numbers; null when it can. */
  refusal: string | null;
}

/** Attention heads assumed from the width: 64 dimensions a head (ViT-B, BERT-base: 12). */
const headsOf = (hiddenSize: number) => Math.max(1, Math.round(hiddenSize / 64));

/**
 * Activations a step keeps for the backward pass, per sample: each block keeps ~16 width-D
 * vectors a token (LayerNorm inputs, q/k/v, attention output, the 4·D MLP before and after its
 * GELU, residuals) and two H×T attention maps a token (scores and softmax).
 */
export function activationBytesPerSample(shape: FineTuneShape): number {
  const { tokensPerSample: T, hiddenSize: D, numLayers: L } = shape;
  return FLOAT_BYTES * T * L * (16 * D + 2 * headsOf(D) * T);
}

/** "344 MB", "5.47 GB", "38 kB" (decimal units, as memory sizes are quoted). */
export function formatMemory(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (bytes >= 1e6) return `${Math.round(bytes / 1e6)} MB`;
  return bytes >= 1e3 ? `${Math.round(bytes / 1e3)} kB` : `${bytes} bytes`;
}

/**
 * The cost of fine-tuning `shape` with `batchSize` on `backend`: float32 weights (4 bytes each),
 * as many for gradients, twice as many for AdamW; a step is ~3 forward passes (6·P·T FLOPs a
 * sample). `gpuLimits` (WebGPU) bound the largest tensor.
 */
export function fineTuneCost(
  shape: FineTuneShape,
  batchSize: number,
  backend: Pick<BackendInfo, 'name' | 'gpu'>,
  gpuLimits: GpuBufferLimits | null = null,
): FineTuneCost {
  const P = shape.parameters;
  const T = shape.tokensPerSample;
  const D = shape.hiddenSize;
  const weights = FLOAT_BYTES * P;
  const fixed = 4 * weights; // weights, gradients, two AdamW moments
  const activations = batchSize * activationBytesPerSample(shape);
  const total = fixed + activations;
  const largestTensor = FLOAT_BYTES * batchSize * T * Math.max(headsOf(D) * T, 4 * D);
  const secondsPerStep = (6 * P * T * batchSize) / backendRate(backend).flops;
  let refusal: string | null = null;
  const limit = MEMORY_LIMITS[backend.name];
  if (limit && total > limit.bytes) {
    const fits = Math.floor((limit.bytes - fixed) / activationBytesPerSample(shape));
    refusal =
      `needs ~${formatMemory(total)} (weights ${formatMemory(weights)}, gradients ${formatMemory(weights)}, ` +
      `AdamW states ${formatMemory(2 * weights)}, activations of ${batchSize} samples ${formatMemory(activations)}); ` +
      `${backend.name} holds at most ${formatMemory(limit.bytes)} (${limit.why}). ` +
      (fits >= 1
        ? `A batch of ${fits} or fewer fits.`
        : 'Not even one sample fits: use WebGPU on a GPU.');
  } else if (gpuLimits) {
    const bound = Math.min(gpuLimits.maxBufferSize, gpuLimits.maxStorageBufferBindingSize);
    if (largestTensor > bound)
      refusal =
        `its largest tensor (attention or MLP of one block for ${batchSize} samples) is ${formatMemory(largestTensor)}, ` +
        `beyond this WebGPU device's buffer limit of ${formatMemory(bound)} (maxBufferSize ${formatMemory(gpuLimits.maxBufferSize)}); lower the batch size.`;
  }
  return {
    weights,
    gradients: weights,
    adamw: 2 * weights,
    activations,
    total,
    largestTensor,
    secondsPerStep,
    refusal,
  };
}

/** The parts of the page's state a fine-tune's cost reads. */
export interface FineTuneCostInputs {
  config: { train: { batchSize: number } };
  results: Pick<ResultsSlice, 'models' | 'datasets'>;
  run: { backendInfo: BackendInfo | null };
  budget?: { gpuLimits: GpuBufferLimits | null };
}

/** The cost of fine-tuning `modelId` with the chosen batch size; null before the backend is known. */
export function fineTuneCostOf(s: FineTuneCostInputs, modelId: string): FineTuneCost | null {
  const backend = s.run.backendInfo;
  const model = s.results.models.find((m) => m.id === modelId);
  if (!backend || !model) return null;
  const dataset = s.results.datasets.find((d) => d.name === model.dataset);
  const shape = {
    ...modelCost(model, dataset),
    numLayers: model.numLayers,
    hiddenSize: model.hiddenSize,
  };
  return fineTuneCost(shape, s.config.train.batchSize, backend, s.budget?.gpuLimits ?? null);
}
