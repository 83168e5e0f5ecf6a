/** What Dawn's adapter in Node says about itself (GPUAdapterInfo). */
export interface NodeGpuAdapter {
  vendor: string;
  architecture: string;
  description: string;
  /** A fallback adapter: software (SwiftShader), not a GPU. */
  fallback: boolean;
}

/** The part of the `webgpu` package (Dawn's Node binding) that Strata uses. */
export interface WebGpuModule {
  create(flags: string[]): GPU;
  globals: Record<string, unknown>;
}

interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

// A name in a variable: bundlers (the CLI's esbuild) leave the native module out.
const PACKAGE = 'webgpu';
const installed = new WeakMap<object, Promise<NodeGpuAdapter | null>>();
const loadPackage = (): Promise<WebGpuModule> => import(/* @vite-ignore */ PACKAGE);

/** One line for a results table: `google swiftshader, SwiftShader driver 5.0.0 (fallback adapter)`. */
export function nodeAdapterLabel(a: NodeGpuAdapter): string {
  const name = [a.vendor, a.architecture].filter(Boolean).join(' ') || 'unknown adapter';
  return `${name}${a.description ? `, ${a.description}` : ''}${a.fallback ? ' (fallback adapter)' : ''}`;
}

async function install(load: () => Promise<WebGpuModule>): Promise<NodeGpuAdapter | null> {
  const { create, globals } = await load();
  // tfjs-backend-webgpu reads GPUBufferUsage and friends from the global scope, as in a browser.
  Object.assign(globalThis, globals);
  const gpu = create([]);
  const scope = globalThis as { navigator?: object };
  if (scope.navigator)
    Object.defineProperty(scope.navigator, 'gpu', { value: gpu, configurable: true });
  else scope.navigator = { gpu };
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return null;
  const info = (adapter as GPUAdapter & { info?: AdapterInfoLike }).info ?? {};
  return {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    description: info.description ?? '',
    fallback:
      info.isFallbackAdapter === true ||
      (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter === true,
  };
}

/**
 * Puts Dawn's WebGPU (`npm i webgpu`) on `navigator.gpu` in Node, once, and describes its
 * adapter; null when Dawn finds none (no Vulkan loader or driver). Dawn needs a Vulkan loader:
 * on a machine without a GPU, Chromium's SwiftShader (LD_LIBRARY_PATH=/usr/lib/chromium
 * VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json, set before Node starts).
 */
export function installNodeWebGpu(
  load: () => Promise<WebGpuModule> = loadPackage,
): Promise<NodeGpuAdapter | null> {
  let done = installed.get(load);
  if (!done) {
    done = install(load).catch((e: unknown) => {
      installed.delete(load);
      throw new Error(
        `nodeWebGpu.ts installNodeWebGpu: could not start the "webgpu" package (Dawn), expected it in node_modules: ${e instanceof Error ? e.message : String(e)}`,
      );
    });
    installed.set(load, done);
  }
  return done;
}
