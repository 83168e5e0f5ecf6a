// The size a user's images are kept at: their own, within bounds. Each model resizes them to its
// own input when it reads them (data/feed.ts), so the staged copy is the only full copy.

/**
 * Longest side kept: 256 ≥ 224, the input of ViT-B/16, DeiT and most image transformers, so such a
 * model reads the images at (about) their own resolution; larger photos are scaled down once here.
 */
export const MAX_IMAGE_SIDE = 256;

/** Bytes of all staged pixels together, as much as the files of one import (DATASET_LIMITS). */
export const MAX_STAGED_IMAGE_BYTES = 512 * 1024 * 1024;

/**
 * [H, W, C] for `n` images like the first one (`width` × `height`, colour or grey): its own size
 * when that fits, else scaled down (aspect kept) so the longest side is at most MAX_IMAGE_SIDE and
 * the n images take at most MAX_STAGED_IMAGE_BYTES.
 */
export function stagedImageShape(
  width: number,
  height: number,
  colour: boolean,
  n: number,
): [number, number, number] {
  const c = colour ? 3 : 1;
  let scale = Math.min(1, MAX_IMAGE_SIDE / Math.max(width, height));
  const bytes = n * c * width * height * scale * scale;
  if (bytes > MAX_STAGED_IMAGE_BYTES) scale *= Math.sqrt(MAX_STAGED_IMAGE_BYTES / bytes);
  const side = (v: number) => Math.max(1, Math.floor(v * scale));
  return [side(height), side(width), c];
}
