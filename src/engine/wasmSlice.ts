import { tf } from './tf';
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';

/** What the contiguous slices need of the wasm backend (BackendWasm's own methods). */
interface WasmHeap {
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

const sizeOf = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Whether a block of `size` at `begin` is one run of memory: only its outermost sliced axis is partial. */
function contiguous(shape: number[], begin: number[], size: number[]): boolean {
  let axis = 0;
  while (axis < shape.length && size[axis] === 1) axis++;
  for (let i = axis + 1; i < shape.length; i++) {
    if (begin[i] !== 0 || size[i] !== shape[i]) return false;
  }
  return true;
}

/** Copies elements [offset, offset + size) of x into a new tensor of `shape`, straight from the heap. */
function copyRun(backend: WasmHeap, x: TensorInfo, offset: number, shape: number[]): TensorInfo {
  const out = backend.makeOutput(shape, x.dtype);
  // Views taken after makeOutput: an allocation may grow the heap and detach older views.
  const from = backend.typedArrayFromHeap(x);
  backend.typedArrayFromHeap(out).set(from.subarray(offset, offset + sizeOf(shape)));
  return out;
}

const numeric = (x: TensorInfo) => x.dtype !== 'string' && x.dtype !== 'complex64';

/**
 * tfjs-backend-wasm's Slice and SplitV read the whole input back (readSync, a copy) for every
 * slice; cutting a flat vector into 100 parts copied it 100 times. A contiguous slice is one copy
 * of its own elements from the heap here; other slices go to the backend's own kernel.
 */
function contiguousSlice(original: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    const attrs = args.attrs as NamedAttrMap & {
      begin: number[] | number;
      size: number[] | number;
    };
    const rank = x.shape.length;
    const begin = typeof attrs.begin === 'number' ? [attrs.begin] : attrs.begin;
    const size = (typeof attrs.size === 'number' ? [attrs.size] : attrs.size).map((s, i) =>
      s === -1 ? x.shape[i] - begin[i] : s,
    );
    if (!numeric(x) || begin.length !== rank || size.length !== rank) return original(args);
    if (!contiguous(x.shape, begin, size)) return original(args);
    let offset = 0;
    for (let i = 0; i < rank; i++) offset = offset * x.shape[i] + begin[i];
    return copyRun(args.backend as unknown as WasmHeap, x, offset, size);
  };
}

/** SplitV along an axis with only size-1 axes before it: every part is one run of memory. */
function contiguousSplit(original: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    const { numOrSizeSplits, axis } = args.attrs as {
      numOrSizeSplits: number[] | number;
      axis: number;
    };
    const a = axis < 0 ? axis + x.shape.length : axis;
    if (!numeric(x) || !Array.isArray(numOrSizeSplits) || numOrSizeSplits.includes(-1))
      return original(args);
    if (x.shape.slice(0, a).some((d) => d !== 1)) return original(args);
    const inner = sizeOf(x.shape.slice(a + 1));
    let offset = 0;
    return numOrSizeSplits.map((s) => {
      const shape = x.shape.slice();
      shape[a] = s;
      const out = copyRun(args.backend as unknown as WasmHeap, x, offset, shape);
      offset += s * inner;
      return out;
    });
  };
}

/** Replaces the wasm backend's Slice and SplitV with the contiguous fast paths (once). */
export function sliceWasmContiguous(): void {
  for (const [name, wrap] of [
    ['Slice', contiguousSlice],
    ['SplitV', contiguousSplit],
  ] as const) {
    const kernel = tf.getKernel(name, 'wasm');
    if (!kernel || (kernel as { strataContiguous?: boolean }).strataContiguous) continue;
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({
      kernelName: name,
      backendName: 'wasm',
      kernelFunc: wrap(kernel.kernelFunc),
      strataContiguous: true,
    } as Parameters<typeof tf.registerKernel>[0]);
  }
}
