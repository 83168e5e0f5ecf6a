// The engine's public interface: what the page (through the worker) and the CLI call. Only plain
// data crosses it — numbers, typed arrays, small records — never a tensor, so it runs unchanged
// in a Web Worker and in Node.
import { initBackend, type BackendInfo, type BackendName } from './backend';
import { runDemo, type DemoResult } from './demo';
import { tf } from './tf';

export type { BackendInfo, BackendName, DemoResult };

/** What the surroundings provide: where WASM binaries live, and how to read shipped assets. */
export interface EngineHost {
  wasmPaths?: Record<string, string>;
  /** Reads a file shipped under public/ (e.g. `datasets/manifest.json`). */
  readAsset(path: string): Promise<Uint8Array>;
}

export interface EngineApi {
  /** Starts a backend by the policy in backend.ts; call once before anything else. */
  init(options: { backend?: BackendName }): Promise<BackendInfo>;
  /** softmax(A·B) on deterministic inputs: proves the pipe from page to backend and back. */
  demo(seed: number): Promise<DemoResult>;
  /** Tensors alive in the engine (for leak checks from the outside). */
  numTensors(): Promise<number>;
}

export function createEngine(host: EngineHost): EngineApi {
  let backend: BackendInfo | null = null;
  const requireBackend = () => {
    if (!backend) throw new Error('engine: init() must be called before any computation');
  };
  return {
    async init(options) {
      backend = await initBackend({ force: options.backend, wasmPaths: host.wasmPaths });
      return backend;
    },
    async demo(seed) {
      requireBackend();
      return runDemo(seed);
    },
    async numTensors() {
      return tf.memory().numTensors;
    },
  };
}
