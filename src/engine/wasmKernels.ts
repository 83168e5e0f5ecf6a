import { tf } from './tf';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { simdBatchMatMulConfig } from './wasm/simdBatchMatMul';

/** What sharedIdentity needs of the wasm backend (BackendWasm.incRef, as its Reshape uses). */
interface RefCounted {
  incRef(dataId: object): void;
}

/**
 * Identity that shares its input's memory (one more reference), as the cpu and webgl backends'
 * do; tensors are immutable, so nothing can tell it from a copy. tfjs-backend-wasm's own copies
 * the data, and autodiff clones every tensor a custom gradient saves: ~800 copies a training step.
 */
const sharedIdentity: KernelFunc = ({ inputs, backend }) => {
  const x = inputs.x as TensorInfo;
  (backend as unknown as RefCounted).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
};

/** Replaces the wasm backend's Identity kernel with sharedIdentity (once; later calls do nothing). */
export function shareWasmIdentity(): void {
  if (tf.getKernel('Identity', 'wasm')?.kernelFunc === sharedIdentity) return;
  if (tf.getKernel('Identity', 'wasm')) tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({ kernelName: 'Identity', backendName: 'wasm', kernelFunc: sharedIdentity });
}

/** tfjs's own BatchMatMul and Strata's SIMD one wrapping it, once the first is replaced. */
let batchMatMuls: { tfjs: KernelConfig; simd: KernelConfig } | undefined;

/**
 * Runs the wasm backend's BatchMatMul on Strata's SIMD kernel (wasm/simdBatchMatMul.ts, which
 * falls back to tfjs's own for what it leaves out), or with `on` false on tfjs's own again
 * (measurements compare the two in one process).
 */
export function useSimdBatchMatMul(on = true): void {
  const current = tf.getKernel('BatchMatMul', 'wasm');
  if (!current) return;
  batchMatMuls ??= { tfjs: current, simd: simdBatchMatMulConfig(current) };
  const wanted = on ? batchMatMuls.simd : batchMatMuls.tfjs;
  if (current === wanted) return;
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel(wanted);
}
