import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { tf } from '../tf';
import type { Tensor } from '../tf';

/** Largest workgroup count per dispatch dimension that every WebGPU device allows. */
export const MAX_GROUPS = 65535;

/** Whether the current backend is WebGPU, so that Strata's own WGSL programs can run on it. */
export function onWebGpu(): boolean {
  return tf.getBackend() === 'webgpu';
}

/** What one of Strata's WGSL programs declares: the code and how many workgroups run it. */
export interface KernelSpec {
  /** Cache key of the compiled pipeline: everything that the code text depends on. */
  key: string;
  /** Names of the input buffers, in the order of `inputs` (WGSL identifiers, not reserved words). */
  inputs: string[];
  /** Floats the output buffer holds. */
  outputSize: number;
  workgroupSize: [number, number, number];
  /** Workgroups per dimension, each at most MAX_GROUPS. */
  groups: [number, number, number];
  /** Extra `name : i32,` uniform fields, set from `values` in that order. */
  uniforms: [string, number][];
  /** WGSL after tfjs's prelude: a `fn main(index : i32)` that reads `localId`, `workgroupId`… */
  code: string;
}

/**
 * Runs one WGSL program through tfjs-backend-webgpu (runWebGPUProgram: the backend's own pipeline
 * cache, uniforms and command batching, as its built-in kernels do) and returns its float32 output
 * as a tensor the caller disposes. Only on the webgpu backend.
 */
export function runKernel(spec: KernelSpec, inputs: readonly Tensor[]): Tensor {
  if (!onWebGpu()) {
    throw new Error(
      `webgpu/program.ts runKernel: ${spec.key} needs the webgpu backend, the backend is ${tf.getBackend()}`,
    );
  }
  for (const g of spec.groups) {
    if (g < 1 || g > MAX_GROUPS || !Number.isInteger(g)) {
      throw new Error(
        `webgpu/program.ts runKernel: ${spec.key} asks for ${spec.groups.join('×')} workgroups, expected 1 to ${MAX_GROUPS} per dimension`,
      );
    }
  }
  const program: WebGPUProgram = {
    outputShape: [spec.outputSize],
    shaderKey: `strata_${spec.key}`,
    // A flat layout: tfjs calls main(index); the kernels index by workgroupId themselves.
    dispatchLayout: { x: [0] },
    dispatch: spec.groups,
    variableNames: spec.inputs,
    workgroupSize: spec.workgroupSize,
    uniforms: spec.uniforms.map(([name]) => `${name} : i32,`).join(' '),
    getUserCode: () => spec.code,
  };
  const backend = tf.backend() as unknown as WebGPUBackend;
  const info = backend.runWebGPUProgram(
    program,
    inputs as Tensor[],
    'float32',
    spec.uniforms.map(([, value]) => ({ type: 'int32', data: [value] })),
  );
  return tf.engine().makeTensorFromTensorInfo(info);
}

/**
 * A WGSL tree sum over the `size` threads of a workgroup (a power of two), into `part[0]`:
 * every thread calls it (barriers need uniform control flow), each with its own value.
 */
export function workgroupSumSnippet(size: number, name = 'part'): string {
  return `
  var<workgroup> ${name} : array<f32, ${size}>;
  fn ${name}Sum(value : f32) -> f32 {
    ${name}[localIndex] = value;
    workgroupBarrier();
    for (var s = ${size / 2}u; s > 0u; s = s >> 1u) {
      if (localIndex < s) { ${name}[localIndex] = ${name}[localIndex] + ${name}[localIndex + s]; }
      workgroupBarrier();
    }
    let total = ${name}[0];
    workgroupBarrier();
    return total;
  }`;
}
