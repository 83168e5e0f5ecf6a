import { tf } from '../../../src/engine/tf';

/** Peak resident memory of this process so far, in MB (getrusage's ru_maxrss). */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Bytes of the wasm backend's linear memory (it grows and never shrinks), or null elsewhere. */
export function wasmHeapMb(): number | null {
  if (tf.getBackend() !== 'wasm') return null;
  const module = (tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } }).wasm;
  return module?.HEAPU8 ? module.HEAPU8.byteLength / 2 ** 20 : null;
}

/** Heap and tensor counters of this process (after a full GC when node runs with --expose-gc). */
export function memorySample(): {
  numTensors: number;
  tensorMb: number;
  heapUsedMb: number;
  rssMb: number;
  wasmHeapMb: number | null;
} {
  (globalThis as { gc?: () => void }).gc?.();
  const m = tf.memory();
  const usage = process.memoryUsage();
  return {
    numTensors: m.numTensors,
    tensorMb: m.numBytes / 2 ** 20,
    heapUsedMb: usage.heapUsed / 2 ** 20,
    rssMb: usage.rss / 2 ** 20,
    wasmHeapMb: wasmHeapMb(),
  };
}
