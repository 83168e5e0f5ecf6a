/** GPU work of one run: what the WebGPU device was asked to do, counted at the API. */
export interface GpuCounts {
  /** Compute passes begun (GPUCommandEncoder.beginComputePass). */
  passes: number;
  /** dispatchWorkgroups (and its indirect form) calls: one per kernel launch. */
  dispatches: number;
  /** Uploads: queue.writeBuffer calls and buffers created mapped (mappedAtCreation). */
  uploads: number;
  /** Bytes written by queue.writeBuffer (mapped creations count their whole size). */
  uploadBytes: number;
  /** Readbacks: mapAsync calls for reading (GPUMapMode.READ). */
  readbacks: number;
  /** queue.submit calls. */
  submits: number;
}

export const ZERO_COUNTS: Readonly<GpuCounts> = {
  passes: 0,
  dispatches: 0,
  uploads: 0,
  uploadBytes: 0,
  readbacks: 0,
  submits: 0,
};

/** The WebGPU classes whose prototypes are wrapped (globalThis once `webgpu`'s globals are set). */
export interface GpuClasses {
  GPUCommandEncoder?: { prototype: object };
  GPUComputePassEncoder?: { prototype: object };
  GPUQueue?: { prototype: object };
  GPUDevice?: { prototype: object };
  GPUBuffer?: { prototype: object };
}

export interface GpuCounter {
  /** A copy of the counts since installation. */
  snapshot(): GpuCounts;
  /** Puts the original methods back. */
  uninstall(): void;
}

/** `after - before`, field by field: the work of what ran between two snapshots. */
export function countsBetween(before: GpuCounts, after: GpuCounts): GpuCounts {
  const out = { ...ZERO_COUNTS };
  for (const key of Object.keys(out) as (keyof GpuCounts)[]) out[key] = after[key] - before[key];
  return out;
}

type Method = (this: unknown, ...args: unknown[]) => unknown;

/** GPUMapMode.READ in the WebGPU specification. */
const MAP_READ = 1;

function sizeOf(data: unknown, size: unknown): number {
  // The specification counts `size` in elements for a typed array, in bytes otherwise.
  const element = (data as { BYTES_PER_ELEMENT?: number } | null)?.BYTES_PER_ELEMENT ?? 1;
  if (typeof size === 'number') return size * element;
  if (ArrayBuffer.isView(data) || data instanceof ArrayBuffer) return data.byteLength;
  return 0;
}

/**
 * Counts dispatches, uploads and readbacks by wrapping the methods of the WebGPU classes'
 * prototypes, so that every device made after (and before) installation is counted. A class or
 * method that is missing is left alone; the counter then reads 0 for it.
 */
export function installGpuCounter(classes: GpuClasses): GpuCounter {
  const counts: GpuCounts = { ...ZERO_COUNTS };
  const restore: (() => void)[] = [];
  const wrap = (
    cls: { prototype: object } | undefined,
    name: string,
    count: (args: unknown[]) => void,
  ) => {
    const proto = cls?.prototype as Record<string, unknown> | undefined;
    const original = proto?.[name];
    if (!proto || typeof original !== 'function') return;
    const method = original as Method;
    proto[name] = function (this: unknown, ...args: unknown[]) {
      count(args);
      return method.apply(this, args);
    };
    restore.push(() => (proto[name] = original));
  };
  wrap(classes.GPUCommandEncoder, 'beginComputePass', () => counts.passes++);
  wrap(classes.GPUComputePassEncoder, 'dispatchWorkgroups', () => counts.dispatches++);
  wrap(classes.GPUComputePassEncoder, 'dispatchWorkgroupsIndirect', () => counts.dispatches++);
  wrap(classes.GPUQueue, 'writeBuffer', ([, , data, , size]) => {
    counts.uploads++;
    counts.uploadBytes += sizeOf(data, size);
  });
  wrap(classes.GPUQueue, 'submit', () => counts.submits++);
  wrap(classes.GPUDevice, 'createBuffer', ([descriptor]) => {
    const d = descriptor as { mappedAtCreation?: boolean; size?: number } | undefined;
    if (d?.mappedAtCreation) {
      counts.uploads++;
      counts.uploadBytes += d.size ?? 0;
    }
  });
  wrap(classes.GPUBuffer, 'mapAsync', ([mode]) => {
    if (typeof mode === 'number' && (mode & MAP_READ) !== 0) counts.readbacks++;
  });
  return {
    snapshot: () => ({ ...counts }),
    uninstall: () => restore.splice(0).forEach((undo) => undo()),
  };
}

/** Counts as the columns of a results row (absent when nothing was counted). */
export function gpuFacts(counts: GpuCounts | undefined): Record<string, number> {
  if (!counts) return {};
  return {
    'GPU passes': counts.passes,
    'GPU dispatches': counts.dispatches,
    'GPU uploads': counts.uploads,
    'GPU upload MB': Math.round((counts.uploadBytes / 2 ** 20) * 100) / 100,
    'GPU readbacks': counts.readbacks,
    'GPU submits': counts.submits,
  };
}

/** A Node row's name: the backend, and for WebGPU the adapter it ran on. */
export function nodeImpl(backend: string, adapter: unknown): string {
  if (backend === 'wasm-threads') return 'Strata, Node wasm (threaded build, worker_threads)';
  return backend === 'webgpu' && typeof adapter === 'string' && adapter
    ? `Strata, Node webgpu (${adapter})`
    : `Strata, Node ${backend}`;
}
