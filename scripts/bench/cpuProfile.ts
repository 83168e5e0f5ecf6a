import type { KernelShare } from './types';

/** The parts of a Chrome DevTools Protocol CPU profile (Profiler.stop) this file reads. */
export interface CdpProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }[];
  samples: number[];
  /** Microseconds between consecutive samples (the first from the profile's start). */
  timeDeltas: number[];
}

const IDLE = new Set(['(idle)', '(program)', '(root)']);

/**
 * Self time of a sampled CPU profile, grouped by `key` of each sample's leaf frame, largest
 * first; idle and bookkeeping frames left out. Each sample counts the interval after it.
 */
export function selfTimes(
  profile: CdpProfile,
  key: (frame: CdpProfile['nodes'][number]['callFrame']) => string,
): KernelShare[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const groups = new Map<string, KernelShare>();
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id);
    if (!frame || IDLE.has(frame.functionName)) return;
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const k = key(frame);
    const g = groups.get(k) ?? { kernel: k, calls: 0, ms: 0 };
    g.calls += 1;
    g.ms += ms;
    groups.set(k, g);
  });
  return [...groups.values()].sort((a, b) => b.ms - a.ms);
}

/** `name chunk.js:line`, the file reduced to its name. */
export function frameName(frame: CdpProfile['nodes'][number]['callFrame']): string {
  const file = frame.url.split('/').pop() || '(native)';
  return `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`;
}

/** The file a frame's code comes from (or the frame's name for native and GC frames). */
export function frameFile(frame: CdpProfile['nodes'][number]['callFrame']): string {
  return frame.url.split('/').pop() || frame.functionName || '(native)';
}
