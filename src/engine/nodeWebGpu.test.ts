import { afterEach, describe, expect, it } from 'vitest';
import { installNodeWebGpu, nodeAdapterLabel, type WebGpuModule } from './nodeWebGpu';

const scope = globalThis as { navigator?: { gpu?: unknown }; FakeGpuGlobal?: unknown };
const hadNavigator = 'navigator' in globalThis;
const originalGpu = scope.navigator?.gpu;

/** A stand-in for Dawn's module: `create` gives a GPU whose adapter reports `info`. */
function fakeDawn(info: object | null): { module: WebGpuModule; creates: number } {
  const state = { creates: 0 };
  const gpu = {
    requestAdapter: () => Promise.resolve(info && { info }),
  } as unknown as GPU;
  return {
    get creates() {
      return state.creates;
    },
    module: {
      create: () => {
        state.creates++;
        return gpu;
      },
      globals: { FakeGpuGlobal: 42 },
    },
  } as { module: WebGpuModule; creates: number };
}

afterEach(() => {
  if (!hadNavigator) delete scope.navigator;
  else if (scope.navigator)
    Object.defineProperty(scope.navigator, 'gpu', { value: originalGpu, configurable: true });
  delete scope.FakeGpuGlobal;
});

describe('installNodeWebGpu', () => {
  it('puts the GPU on navigator.gpu with the globals, describes the adapter, and does it once', async () => {
    const dawn = fakeDawn({
      vendor: 'nvidia',
      architecture: 'hopper',
      description: 'NVIDIA H100 80GB HBM3',
      isFallbackAdapter: false,
    });
    const load = () => Promise.resolve(dawn.module);
    const adapter = await installNodeWebGpu(load);
    expect(adapter).toEqual({
      vendor: 'nvidia',
      architecture: 'hopper',
      description: 'NVIDIA H100 80GB HBM3',
      fallback: false,
    });
    expect(scope.FakeGpuGlobal).toBe(42);
    expect(typeof (scope.navigator?.gpu as GPU).requestAdapter).toBe('function');
    await installNodeWebGpu(load);
    expect(dawn.creates).toBe(1);
    expect(nodeAdapterLabel(adapter!)).toBe('nvidia hopper, NVIDIA H100 80GB HBM3');
  });

  it('says when the adapter is a fallback (software) one, and null when there is none', async () => {
    const soft = fakeDawn({
      vendor: 'google',
      architecture: 'swiftshader',
      isFallbackAdapter: true,
    });
    const adapter = await installNodeWebGpu(() => Promise.resolve(soft.module));
    expect(adapter?.fallback).toBe(true);
    expect(nodeAdapterLabel(adapter!)).toBe('google swiftshader (fallback adapter)');
    const none = fakeDawn(null);
    expect(await installNodeWebGpu(() => Promise.resolve(none.module))).toBeNull();
  });

  it('names the file and the package when Dawn cannot load', async () => {
    await expect(
      installNodeWebGpu(() => Promise.reject(new Error('dawn.node missing'))),
    ).rejects.toThrow(/nodeWebGpu\.ts installNodeWebGpu: .*"webgpu".*dawn\.node missing/);
  });
});
