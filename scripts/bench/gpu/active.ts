import { countsBetween, installGpuCounter, type GpuCounter, type GpuCounts } from './counter';

let active: GpuCounter | null = null;

/** Starts counting WebGPU work in this process (a bench child on webgpu). */
export function startGpuCounting(): void {
  active ??= installGpuCounter(globalThis as Parameters<typeof installGpuCounter>[0]);
}

/**
 * Runs `work` and gives the GPU work it asked for; undefined counts when nothing is counted
 * (not on webgpu).
 */
export async function countedGpuWork<T>(
  work: () => Promise<T>,
): Promise<{ value: T; counts?: GpuCounts }> {
  const counter = active;
  const before = counter?.snapshot();
  const value = await work();
  return {
    value,
    counts: counter && before ? countsBetween(before, counter.snapshot()) : undefined,
  };
}
