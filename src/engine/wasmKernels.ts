import { tf } from './tf';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';

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
