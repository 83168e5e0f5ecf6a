import { describe, expect, it } from 'vitest';
import { countsBetween, installGpuCounter, ZERO_COUNTS } from './counter';

/** Stand-ins for the WebGPU classes: each method records that the original ran. */
function fakeClasses() {
  const calls: string[] = [];
  class GPUComputePassEncoder {
    dispatchWorkgroups(x: number) {
      calls.push(`dispatch ${x}`);
    }
  }
  class GPUCommandEncoder {
    beginComputePass() {
      calls.push('pass');
      return new GPUComputePassEncoder();
    }
  }
  class GPUQueue {
    writeBuffer(_b: unknown, _o: number, data: ArrayBufferView, _do?: number, size?: number) {
      calls.push(`write ${size ?? data.byteLength}`);
    }
    submit() {
      calls.push('submit');
    }
  }
  class GPUBuffer {
    mapAsync(mode: number) {
      calls.push(`map ${mode}`);
      return Promise.resolve(mode);
    }
  }
  class GPUDevice {
    createBuffer(d: { size: number; mappedAtCreation?: boolean }) {
      calls.push(`create ${d.size}`);
      return new GPUBuffer();
    }
  }
  return {
    calls,
    classes: { GPUCommandEncoder, GPUComputePassEncoder, GPUQueue, GPUDevice, GPUBuffer },
  };
}

describe('installGpuCounter', () => {
  it('counts passes, dispatches, uploads and read mappings, and still runs the originals', async () => {
    const { calls, classes } = fakeClasses();
    const counter = installGpuCounter(classes);
    const device = new classes.GPUDevice();
    const queue = new classes.GPUQueue();
    const pass = new classes.GPUCommandEncoder().beginComputePass();
    pass.dispatchWorkgroups(4);
    pass.dispatchWorkgroups(8);
    queue.writeBuffer({}, 0, new Float32Array(10));
    queue.writeBuffer({}, 0, new Uint8Array(100), 0, 16);
    // A typed array's size counts elements, not bytes.
    queue.writeBuffer({}, 0, new Float32Array(100), 0, 4);
    device.createBuffer({ size: 64, mappedAtCreation: true });
    const staging = device.createBuffer({ size: 32 });
    expect(await staging.mapAsync(1)).toBe(1);
    await staging.mapAsync(2); // GPUMapMode.WRITE: not a readback
    queue.submit();
    expect(counter.snapshot()).toEqual({
      passes: 1,
      dispatches: 2,
      uploads: 4,
      uploadBytes: 40 + 16 + 16 + 64,
      readbacks: 1,
      submits: 1,
    });
    expect(calls).toEqual([
      'pass',
      'dispatch 4',
      'dispatch 8',
      'write 40',
      'write 16',
      'write 4',
      'create 64',
      'create 32',
      'map 1',
      'map 2',
      'submit',
    ]);
    counter.uninstall();
    pass.dispatchWorkgroups(1);
    expect(counter.snapshot().dispatches).toBe(2);
  });

  it('gives the work between two snapshots, and skips classes that are missing', () => {
    const { classes } = fakeClasses();
    const counter = installGpuCounter({ GPUComputePassEncoder: classes.GPUComputePassEncoder });
    const pass = new classes.GPUComputePassEncoder();
    pass.dispatchWorkgroups(1);
    const before = counter.snapshot();
    pass.dispatchWorkgroups(1);
    pass.dispatchWorkgroups(1);
    expect(countsBetween(before, counter.snapshot())).toEqual({ ...ZERO_COUNTS, dispatches: 2 });
    counter.uninstall();
  });
});
