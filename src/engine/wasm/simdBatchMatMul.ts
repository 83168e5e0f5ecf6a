import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { batchMatMulPlain, batchMatMulShared } from './batchMatMulBytes';
import { planBatchMatMul } from './batchMatMulPlan';

/** What the kernel needs of tfjs-backend-wasm's BackendWasm and its Emscripten module. */
interface WasmBackend {
  dataIdMap: { get(dataId: object): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  wasm: {
    _malloc(bytes: number): number;
    _free(ptr: number): void;
    /** The threaded build's memory (it creates and shares it). */
    wasmMemory?: WebAssembly.Memory;
    /** The single-threaded builds' exports, their memory among them. */
    asm?: { memory?: WebAssembly.Memory };
  };
}

type BatchMatMulExport = (
  a: number,
  b: number,
  out: number,
  scratch: number,
  batch: number,
  m: number,
  k: number,
  n: number,
  aBatch: number,
  aRow: number,
  aCol: number,
  bBatch: number,
  bK: number,
  bN: number,
) => void;

/** batchMatMul.wat's exports: the product, and the scratch bytes it needs for B's [k, n]. */
interface BatchMatMulModule {
  batchMatMul: BatchMatMulExport;
  scratchBytes(k: number, n: number): number;
}

/** Per backend instance: the kernel's exports, or null where it cannot run (tfjs's kernel then). */
const instances = new WeakMap<object, BatchMatMulModule | null>();
let runs = 0;

/** How many products Strata's SIMD kernel has run in this process (tests tell it from tfjs's). */
export function simdBatchMatMulRuns(): number {
  return runs;
}

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** Instantiates batchMatMul.wat on the backend's own memory, so it works on tensors in place. */
function instantiate(backend: WasmBackend): BatchMatMulModule | null {
  const memory = backend.wasm.wasmMemory ?? backend.wasm.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) return null;
  const shared =
    typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  try {
    const module = new WebAssembly.Module(decode(shared ? batchMatMulShared : batchMatMulPlain));
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    return instance.exports as unknown as BatchMatMulModule;
  } catch {
    return null; // e.g. no SIMD in this engine: tfjs's kernel stays in charge
  }
}

function instanceFor(backend: WasmBackend): BatchMatMulModule | null {
  if (!instances.has(backend)) instances.set(backend, instantiate(backend));
  return instances.get(backend) ?? null;
}

/**
 * BatchMatMul on wasm through batchMatMul.wat (SIMD128): tfjs-backend-wasm 4.22 runs every
 * batched or transposed product on a scalar loop, attention's products among them. Shapes the
 * plan leaves out, and engines without SIMD, run `original` (tfjs's kernel).
 */
export function simdBatchMatMulConfig(original: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const backend = args.backend as unknown as WasmBackend;
    const a = args.inputs.a as TensorInfo;
    const b = args.inputs.b as TensorInfo;
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    const kernel = a.dtype === 'float32' && b.dtype === 'float32' ? instanceFor(backend) : null;
    const plan = kernel && planBatchMatMul(a.shape, b.shape, transposeA, transposeB);
    if (!kernel || !plan) return original.kernelFunc(args);
    const out = backend.makeOutput(plan.outShape, 'float32');
    const scratch = backend.wasm._malloc(kernel.scratchBytes(plan.k, plan.n));
    try {
      kernel.batchMatMul(
        backend.dataIdMap.get(a.dataId).memoryOffset,
        backend.dataIdMap.get(b.dataId).memoryOffset,
        backend.dataIdMap.get(out.dataId).memoryOffset,
        scratch,
        plan.batch,
        plan.m,
        plan.k,
        plan.n,
        plan.aBatch,
        plan.aRow,
        plan.aCol,
        plan.bBatch,
        plan.bK,
        plan.bN,
      );
    } finally {
      backend.wasm._free(scratch);
    }
    runs++;
    return out;
  };
  return {
    kernelName: original.kernelName,
    backendName: original.backendName,
    setupFunc: original.setupFunc,
    kernelFunc,
  };
}
