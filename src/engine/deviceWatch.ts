import { tf } from './tf';

/** The GPUDevice tfjs's WebGPU backend computes on (its `device` field), if that is the backend. */
function webGpuDevice(): GPUDevice | null {
  if (tf.getBackend() !== 'webgpu') return null;
  const device = (tf.backend() as unknown as { device?: GPUDevice }).device;
  return device ?? null;
}

export interface DeviceWatch {
  /** Stops watching: a loss after this (our own teardown) is not reported. */
  stop(): void;
  /** The browser's message once the device reported its loss (null before). */
  lostMessage(): string | null;
  /** Test hook: destroys the device as a driver reset would lose it; false when not on WebGPU. */
  destroyForTest(): boolean;
}

/**
 * Calls `onLost` with the browser's message when the WebGPU backend's device is lost (driver
 * reset, GPU process crash, or destroy() by anything but our own teardown). Off WebGPU it watches
 * nothing.
 */
export function watchDevice(onLost: (message: string) => void): DeviceWatch {
  const device = webGpuDevice();
  let stopped = false;
  let message: string | null = null;
  void device?.lost.then((info) => {
    message = `${info.message || 'no message'} (reason: ${info.reason ?? 'unknown'})`;
    if (!stopped) onLost(message);
  });
  return {
    stop: () => (stopped = true),
    lostMessage: () => message,
    destroyForTest() {
      if (!device) return false;
      device.destroy();
      return true;
    },
  };
}
