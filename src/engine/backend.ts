import { tf } from './tf';
import { probeWebGl, type WebGlProbe } from './webglProbe';
import { shareWasmIdentity, useSimdBatchMatMul } from './wasmKernels';
import { probeMatmulRate, type MatmulRate } from './rateProbe';
import { sliceWasmContiguous } from './wasmSlice';

/** The TensorFlow.js backends Strata can run on. */
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export const BACKEND_NAMES: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** What the engine runs on, and why: the page shows this as its backend badge. */
export interface BackendInfo {
  name: BackendName;
  /** The adapter or device behind the backend, e.g. "nvidia (ampere)" or "swiftshader (software)". */
  adapter: string;
  /** One sentence on why this backend was chosen. */
  reason: string;
  /** Set when a forced or preferred backend could not start and the engine fell back. */
  fallback?: { requested: BackendName; error: string };
  /** WASM only: whether the multi-threaded build is in use (needs cross-origin isolation). */
  threads?: boolean;
  /** Set when the engine moved here because the backend it ran on lost its device. */
  lost?: { backend: BackendName; message: string };
  /** What the WebGPU probe found (null: no adapter); a switch after a loss reuses it. */
  gpu?: GpuProbe | null;
  /** What the WebGL probe found, when the policy needed to look (null: no WebGL). */
  webgl?: WebGlProbe | null;
  /** A matmul timed when the backend started (rateProbe.ts); absent if the probe failed. */
  matmul?: MatmulRate;
}

export interface BackendOptions {
  /** Force a backend (the `?backend=` URL option or `--backend`); falls back if it cannot start. */
  force?: BackendName;
  /**
   * Where the WASM binaries are: a map from file name (`tfjs-backend-wasm-simd.wasm`, …) to URL or
   * path. The app passes bundled URLs and Node passes files in node_modules; never a CDN.
   */
  wasmPaths?: Record<string, string>;
  /** Backends not to try (the one whose device was lost). */
  exclude?: readonly BackendName[];
  /** The lost backend and its message: the reason then says so. */
  lost?: { backend: BackendName; message: string };
  /** What the WebGPU probe found at start (null: no adapter), for a switch after a loss. */
  gpu?: GpuProbe | null;
}

/** What the WebGPU probe found: null when there is no adapter. */
export interface GpuProbe {
  hardware: boolean;
  description: string;
}

function isBackendName(x: unknown): x is BackendName {
  return typeof x === 'string' && (BACKEND_NAMES as readonly string[]).includes(x);
}

/** Parses a user-supplied backend name (URL or CLI); undefined when absent, an error when wrong. */
export function parseBackendName(
  value: string | null | undefined,
  where: string,
): BackendName | undefined {
  if (value == null || value === '') return undefined;
  if (!isBackendName(value)) {
    throw new Error(
      `${where}: unknown backend "${value}", expected one of ${BACKEND_NAMES.join(', ')}`,
    );
  }
  return value;
}

async function probeWebGpu(): Promise<GpuProbe | null> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) return null;
  try {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return null;
    // `info` is newer than some type packages; read it defensively.
    const info = (
      adapter as GPUAdapter & {
        info?: { vendor?: string; architecture?: string; description?: string };
      }
    ).info;
    const arch = info?.architecture ?? '';
    // Chromium's software adapter reports itself as a fallback adapter and as "swiftshader".
    const fallback =
      (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
    const software =
      fallback ||
      /swiftshader|llvmpipe|lavapipe/i.test(
        `${arch} ${info?.vendor ?? ''} ${info?.description ?? ''}`,
      );
    const name = [info?.vendor, arch].filter(Boolean).join(' ') || 'unknown adapter';
    return { hardware: !software, description: software ? `${name} (software)` : name };
  } catch {
    return null;
  }
}

async function registerBackend(name: BackendName, options: BackendOptions): Promise<void> {
  switch (name) {
    case 'cpu':
      await import('@tensorflow/tfjs-backend-cpu');
      return;
    case 'webgl':
      await import('@tensorflow/tfjs-backend-webgl');
      return;
    case 'webgpu':
      await import('@tensorflow/tfjs-backend-webgpu');
      return;
    case 'wasm': {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      if (options.wasmPaths) wasm.setWasmPaths(options.wasmPaths);
      shareWasmIdentity();
      sliceWasmContiguous();
      useSimdBatchMatMul();
      return;
    }
  }
}

async function tryStart(name: BackendName, options: BackendOptions): Promise<string | null> {
  try {
    await registerBackend(name, options);
    const ok = await tf.setBackend(name);
    if (!ok) return `${name} did not initialise`;
    await tf.ready();
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

function lostBackendLabel(name: BackendName): string {
  return name === 'webgpu' ? 'WebGPU' : name === 'webgl' ? 'WebGL' : name;
}

function adapterOf(
  name: BackendName,
  gpu: GpuProbe | null,
  webgl: WebGlProbe | null | undefined,
): string {
  if (name === 'webgpu') return gpu?.description ?? 'WebGPU adapter';
  if (name === 'wasm') return 'CPU (WebAssembly)';
  if (name === 'cpu') return 'CPU (JavaScript)';
  return webgl ? `WebGL: ${webgl.description}${webgl.hardware ? '' : ' (software)'}` : 'WebGL';
}

/** One step of the backend policy: a backend to try and why. */
export interface PlanStep {
  name: BackendName;
  reason: string;
}

/** Whether the policy would try WebGL, so that probing it is worth a context. */
export function mayPlanWebGl(
  gpu: GpuProbe | null,
  options: { exclude?: readonly BackendName[]; inBrowser: boolean },
): boolean {
  const exclude = options.exclude ?? [];
  return (
    options.inBrowser &&
    !exclude.includes('webgl') &&
    (!gpu || (gpu.hardware && exclude.includes('webgpu')))
  );
}

/**
 * The backends to try, best first (docs/design.md §1): a forced one; WebGPU on hardware; on a
 * software adapter (SwiftShader) WASM, about ten times faster there; WebGL when there is no
 * WebGPU, unless its renderer is software too (then WASM first, WebGL after it); then WASM and
 * CPU. Excluded backends (one whose device was lost) are left out; without WebGPU a hardware
 * adapter's next GPU path is WebGL.
 */
export function planBackends(
  gpu: GpuProbe | null,
  options: {
    force?: BackendName;
    exclude?: readonly BackendName[];
    inBrowser: boolean;
    webgl?: WebGlProbe | null;
  },
): PlanStep[] {
  const exclude = new Set(options.exclude ?? []);
  const plan: PlanStep[] = [];
  if (options.force) plan.push({ name: options.force, reason: `forced by the backend option` });
  if (gpu?.hardware) plan.push({ name: 'webgpu', reason: `hardware WebGPU adapter found` });
  if (gpu && !gpu.hardware) {
    plan.push({
      name: 'wasm',
      reason: `WebGPU adapter is software (${gpu.description}); WASM is faster there`,
    });
  }
  if (mayPlanWebGl(gpu, options)) {
    const webgl = options.webgl;
    if (webgl && !webgl.hardware) {
      plan.push({
        name: 'wasm',
        reason: `${gpu ? 'WebGPU is gone' : 'no WebGPU adapter'}, and WebGL would run on the CPU (${webgl.softwareBecause}); WASM is faster there`,
      });
    }
    plan.push({ name: 'webgl', reason: 'no WebGPU adapter; WebGL is the next GPU path' });
  }
  plan.push({
    name: 'wasm',
    reason: gpu ? 'fastest CPU path' : 'no GPU backend available; WASM is the fastest CPU path',
  });
  plan.push({ name: 'cpu', reason: 'last resort: plain JavaScript' });
  const seen = new Set<BackendName>();
  return plan.filter((step) => {
    if (exclude.has(step.name) || seen.has(step.name)) return false;
    seen.add(step.name);
    return true;
  });
}

/**
 * Starts the best backend this machine offers (docs/design.md §1): WebGPU on hardware; on a
 * software adapter (SwiftShader) WASM, which is about ten times faster there; then WebGL, WASM,
 * CPU. A forced backend is tried first; if it cannot start, the policy continues and says so.
 */
export async function initBackend(options: BackendOptions = {}): Promise<BackendInfo> {
  // After a device loss the first probe is reused: asking a lost adapter again can take seconds.
  const gpu = options.gpu !== undefined ? options.gpu : await probeWebGpu();
  const inBrowser =
    typeof (globalThis as { document?: unknown }).document !== 'undefined' ||
    typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined';

  const webgl = mayPlanWebGl(gpu, { exclude: options.exclude, inBrowser })
    ? probeWebGl()
    : undefined;
  const plan = planBackends(gpu, {
    force: options.force,
    exclude: options.exclude,
    inBrowser,
    webgl,
  });
  let fallback: BackendInfo['fallback'];
  const tried = new Set<BackendName>();
  for (const step of plan) {
    tried.add(step.name);
    const error = await tryStart(step.name, options);
    if (error === null) {
      const info: BackendInfo = {
        name: step.name,
        adapter: adapterOf(step.name, gpu, webgl),
        reason: step.reason,
        fallback,
        gpu,
        ...(webgl === undefined ? {} : { webgl }),
      };
      if (step.name === 'wasm') info.threads = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT');
      if (fallback)
        info.reason = `${fallback.requested} could not start (${fallback.error}); ${step.reason}`;
      if (options.lost) {
        info.lost = options.lost;
        info.reason = `${lostBackendLabel(options.lost.backend)} device lost: ${options.lost.message}; now on ${step.name}`;
      }
      // The page's time budgets read it; a backend that cannot run it still serves.
      const rate = await probeMatmulRate().catch(() => null);
      if (rate) info.matmul = rate;
      return info;
    }
    if (options.force && step.name === options.force) fallback = { requested: step.name, error };
  }
  throw new Error('no TensorFlow.js backend could start (tried ' + [...tried].join(', ') + ')');
}
