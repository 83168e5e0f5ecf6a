// WebGPU's buffer limits at real model size: tfjs-backend-webgpu asks the device for the adapter's
// own maxStorageBufferBindingSize and maxBufferSize (not WebGPU's defaults of 128 MiB / 256 MiB);
// a tensor beyond them cannot be bound at all, so a load refuses it before uploading anything.
import { formatBytes } from './io/formatBytes';
import { tf } from './tf';

/** The two limits that bound one tensor on a WebGPU device, in bytes. */
export interface GpuBufferLimits {
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
}

/** The active backend's device limits, or null when it is not WebGPU. */
export function activeGpuLimits(): GpuBufferLimits | null {
  if (tf.getBackend() !== 'webgpu') return null;
  const device = (tf.backend() as { device?: { limits?: GpuBufferLimits } }).device;
  const limits = device?.limits;
  if (!limits) return null;
  return {
    maxStorageBufferBindingSize: Number(limits.maxStorageBufferBindingSize),
    maxBufferSize: Number(limits.maxBufferSize),
  };
}

/**
 * Why a tensor of `bytes` cannot live on a device with `limits`, or null when it can: it must fit
 * one buffer and one storage binding.
 */
export function tensorBeyondLimits(
  name: string,
  bytes: number,
  limits: GpuBufferLimits,
): string | null {
  const [limit, which] =
    limits.maxStorageBufferBindingSize <= limits.maxBufferSize
      ? [limits.maxStorageBufferBindingSize, 'maxStorageBufferBindingSize']
      : [limits.maxBufferSize, 'maxBufferSize'];
  if (bytes <= limit) return null;
  return `tensor ${name} is ${formatBytes(bytes)} (${bytes} bytes as float32), beyond this WebGPU device's ${which} of ${formatBytes(limit)} (${limit} bytes); use the wasm or cpu backend for this model`;
}

/** A `beforeUpload` check for the active backend: throws, naming `file`, when a tensor cannot fit. */
export function checkTensorFitsDevice(file: string): (name: string, bytes: number) => void {
  const limits = activeGpuLimits();
  return (name, bytes) => {
    const why = limits && tensorBeyondLimits(name, bytes, limits);
    if (why) throw new Error(`${file}: ${why}`);
  };
}
