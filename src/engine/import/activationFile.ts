// A user's file of per-layer activations, read exactly as `strata analyze --activations` reads it.
import type { NamedArray } from '../io/dtypes';
import { FileFormatError } from '../io/fileFormatError';
import { activationLayersFromArrays, type ActivationLayers } from '../io/layers';
import { readNpy } from '../io/npy';
import { readNpz } from '../io/npz';
import { readSafetensors } from '../io/safetensors';
import type { ZipLimits } from '../io/zip';

/** The extensions of activation files, lower case. */
export const ACTIVATION_EXTENSIONS = ['.npz', '.npy', '.safetensors'] as const;

const FLOAT_DTYPES: readonly string[] = ['float32', 'float64', 'float16', 'bfloat16'];

/**
 * The arrays of an .npz, .npy or .safetensors file, chosen by `name`'s extension; an .npz may
 * inflate to `limits.maxTotalBytes` at most.
 */
export function activationArrays(bytes: Uint8Array, name: string, limits: ZipLimits): NamedArray[] {
  const lower = name.toLowerCase();
  if (lower.endsWith('.npz')) return readNpz(bytes, name, limits);
  if (lower.endsWith('.npy')) return [readNpy(bytes, name)];
  if (lower.endsWith('.safetensors')) return readSafetensors(bytes, name).tensors;
  const dot = lower.lastIndexOf('.');
  throw new FileFormatError(
    name,
    `unknown activation format "${dot >= 0 ? lower.slice(dot) : '(no extension)'}", expected ${ACTIVATION_EXTENSIONS.join(', ')}`,
  );
}

/**
 * The layers of an activation file: the layout rule of activationLayersFromArrays (2-D [N, D]
 * arrays, one per layer, or one [L, N, D] array), and floating-point values only — integer or
 * boolean arrays are token ids or masks, not activations, so they are refused by name.
 */
export function readActivationFile(
  bytes: Uint8Array,
  name: string,
  limits: ZipLimits,
): ActivationLayers {
  const arrays = activationArrays(bytes, name, limits);
  const nonFloat = arrays.find((a) => !FLOAT_DTYPES.includes(a.dtype));
  if (nonFloat) {
    throw new FileFormatError(
      name,
      `array "${nonFloat.name}" has dtype ${nonFloat.dtype}, expected floating-point activations (float16, bfloat16, float32 or float64)`,
    );
  }
  return activationLayersFromArrays(arrays, name);
}
