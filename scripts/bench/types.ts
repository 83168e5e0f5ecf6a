import type { Timing } from './stats';

/** The benchmark's workloads (bench/RESULTS.md). */
export type WorkloadId = 'W1' | 'W1b' | 'W2' | 'W3' | 'W4' | 'W5' | 'W6' | 'W7';
export const WORKLOAD_IDS: readonly WorkloadId[] = [
  'W1',
  'W1b',
  'W2',
  'W3',
  'W4',
  'W5',
  'W6',
  'W7',
];

/** One line of a results table: one implementation doing one job. */
export interface Row {
  /** The job, e.g. `cosine + linear CKA`. */
  task: string;
  /** Who did it, e.g. `Strata, Node wasm` or `NumPy (feature space)`. */
  impl: string;
  /** Absent when the row measures something other than time (memory, leaks). */
  timing?: Timing;
  /** Other measured facts, named with their unit (`peak RSS MB`, `max |Δ| vs NumPy`). */
  facts?: Record<string, number | string>;
  /** Why the row is missing or what to know about it. */
  note?: string;
}

/** A target and how the measurement stands against it. */
export interface Check {
  target: string;
  measured: string;
  /** null: not measured in this run (skipped, or a prerequisite missing). */
  met: boolean | null;
  /** When missed: by how much and why; when met: the margin. */
  detail: string;
  /** Why this run's measurement is no verdict on the target, met or missed (coreSpeed.ts). */
  caveat?: string;
}

/** A kernel's share of a profiled run (tf.profile). */
export interface KernelShare {
  kernel: string;
  calls: number;
  ms: number;
}

export interface WorkloadResult {
  id: WorkloadId;
  title: string;
  /** ISO time the workload ran, and the 1-minute load average just before (other work running). */
  ranAt: string;
  loadBefore: number;
  /** Relative speed of each core just before the workload, fastest = 1 (coreSpeed.ts). */
  coreSpeeds?: number[];
  /** Sizes and settings, as run. */
  params: Record<string, number | string | boolean>;
  rows: Row[];
  checks: Check[];
  notes: string[];
  /** Kernel breakdown of one profiled run, where taken. */
  profile?: {
    title: string;
    /** What one item is (`kernel` when absent). */
    itemLabel?: string;
    /** Sum of the kernels' own times, and the wall time of the profiled run. */
    totalMs: number;
    wallMs: number;
    /** By kernel name, and the largest by kernel and input shapes (or by file, by function). */
    kernels: KernelShare[];
    byShape: KernelShare[];
    /** Groups that point at fast paths (training profile only). */
    categories?: KernelShare[];
    /** Calls of Strata's own tf.customGrad functions in the profiled run (training profile only). */
    customGradCalls?: number;
  };
}

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  tfjs: string;
  python?: string;
  numpy?: string;
  blas?: string;
  torch?: string;
  /** The wasm backend as Node runs it (SIMD, threads). */
  wasm?: string;
}

export interface BenchResults {
  /** `full`, or `quick` for the small development sizes. */
  mode: 'full' | 'quick';
  machine: MachineInfo;
  workloads: Partial<Record<WorkloadId, WorkloadResult>>;
}
