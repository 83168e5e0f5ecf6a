// A pair of IDX files (images and labels, raw or gzipped), as MNIST and Fashion-MNIST ship.
import { gunzipSync } from 'fflate';
import { parseIdx } from '../data/idx';
import type { ImageRows } from './labelledRows';

export interface NamedBytes {
  name: string;
  bytes: Uint8Array;
}

/** The bytes, gunzipped when they open with the gzip signature 1f 8b. */
function maybeGunzip({ name, bytes }: NamedBytes): Uint8Array {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (e) {
    throw new Error(
      `${name}: could not decompress (${(e as Error).message}): truncated or damaged`,
    );
  }
}

/**
 * Reads an images file ([N, H, W] or [N, H, W, C] unsigned bytes) and a labels file ([N]) of the
 * IDX format. Errors name the file and what was expected, e.g. a count mismatch between the two.
 */
export function parseIdxPair(images: NamedBytes, labels: NamedBytes): ImageRows {
  const x = parseIdx(maybeGunzip(images), images.name);
  const y = parseIdx(maybeGunzip(labels), labels.name);
  if (x.dims.length !== 3 && x.dims.length !== 4) {
    throw new Error(
      `${images.name}: IDX dimensions [${x.dims.join(', ')}], expected images [N, H, W] or [N, H, W, C]`,
    );
  }
  if (y.dims.length !== 1) {
    throw new Error(`${labels.name}: IDX dimensions [${y.dims.join(', ')}], expected labels [N]`);
  }
  const [n, h, w, c = 1] = x.dims;
  if (y.dims[0] !== n) {
    throw new Error(`${labels.name}: ${y.dims[0]} labels, but ${images.name} holds ${n} images`);
  }
  if (n === 0) throw new Error(`${images.name}: holds no images`);
  return {
    kind: 'image',
    source: `${images.name} + ${labels.name}`,
    n,
    inputShape: [h, w, c],
    x: x.data.slice(),
    labels: Array.from(y.data, String),
  };
}
