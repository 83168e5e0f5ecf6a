// The browser's image decoder for dataset imports, used in the engine worker: createImageBitmap
// decodes PNG/JPEG/WebP off the main thread, an OffscreenCanvas resizes it.
import type { DecodedImage, ImageDecoder } from './imageFolder';

/** Whether this environment can decode images (a browser worker; not Node). */
export function canDecodeImages(): boolean {
  return typeof createImageBitmap === 'function' && typeof OffscreenCanvas === 'function';
}

/** Decodes and resizes one image to [H, W, C] (grey = ITU-R BT.601 luma of the RGB). */
export const browserImageDecoder: ImageDecoder = async (bytes, name, [h, w, c]) => {
  const bitmap = await createImageBitmap(new Blob([bytes as BlobPart]));
  try {
    const canvas = new OffscreenCanvas(w, h);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error(`${name}: no 2D canvas in this worker`);
    ctx.drawImage(bitmap, 0, 0, w, h);
    const rgba = ctx.getImageData(0, 0, w, h).data;
    const pixels = new Uint8Array(h * w * c);
    let colour = false;
    for (let i = 0, j = 0; i < rgba.length; i += 4, j += c) {
      const [r, g, b] = [rgba[i], rgba[i + 1], rgba[i + 2]];
      if (r !== g || g !== b) colour = true;
      if (c === 1) pixels[j] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
      else pixels.set([r, g, b], j);
    }
    const result: DecodedImage = { pixels, width: bitmap.width, height: bitmap.height, colour };
    return result;
  } finally {
    bitmap.close();
  }
};
