// An image's width and height read from its header, so an image too large to decode is refused
// by name and size before a decoder tries (and fails without saying why).

export interface ImageSize {
  format: 'PNG' | 'JPEG' | 'WebP';
  width: number;
  height: number;
}

/** Largest image decoded (50 megapixels: 200 MB as RGBA, under browsers' canvas limits). */
export const MAX_IMAGE_PIXELS = 50_000_000;

const ascii = (b: Uint8Array, at: number, n: number) =>
  String.fromCharCode(...b.subarray(at, at + n));

/** PNG: the IHDR chunk comes first after the signature (PNG spec §5.2, §11.2.2). */
function pngSize(b: Uint8Array, view: DataView): ImageSize | undefined {
  if (b.length < 24 || ascii(b, 12, 4) !== 'IHDR') return undefined;
  return { format: 'PNG', width: view.getUint32(16), height: view.getUint32(20) };
}

/** SOFn markers (ITU T.81 table B.1): C0–CF except DHT C4, JPG C8 and DAC CC. */
const isStartOfFrame = (m: number) =>
  m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

/** JPEG: walks the marker segments up to the first start-of-frame (T.81 §B.2.2). */
function jpegSize(b: Uint8Array, view: DataView): ImageSize | undefined {
  let at = 2;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return undefined;
    const marker = b[at + 1];
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2; // markers without a length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return undefined; // end or scan before any frame
    if (isStartOfFrame(marker)) {
      if (at + 9 > b.length) return undefined;
      const height = view.getUint16(at + 5);
      // Height 0: a later DNL segment gives it; left to the decoder.
      if (height === 0) return undefined;
      return { format: 'JPEG', height, width: view.getUint16(at + 7) };
    }
    at += 2 + view.getUint16(at + 2);
  }
  return undefined;
}

/** WebP: the first chunk after "RIFF….WEBP" (RFC 9649 §2.5–2.7). */
function webpSize(b: Uint8Array, view: DataView): ImageSize | undefined {
  if (b.length < 30) return undefined;
  const chunk = ascii(b, 12, 4);
  const u24 = (at: number) => b[at] | (b[at + 1] << 8) | (b[at + 2] << 16);
  if (chunk === 'VP8X') return { format: 'WebP', width: u24(24) + 1, height: u24(27) + 1 };
  if (chunk === 'VP8L' && b[20] === 0x2f) {
    const bits = view.getUint32(21, true);
    return { format: 'WebP', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8 ' && b[23] === 0x9d && b[24] === 0x01 && b[25] === 0x2a) {
    return {
      format: 'WebP',
      width: view.getUint16(26, true) & 0x3fff,
      height: view.getUint16(28, true) & 0x3fff,
    };
  }
  return undefined;
}

/** The size an image's header states, or undefined when the bytes are no PNG, JPEG or WebP. */
export function readImageSize(bytes: Uint8Array): ImageSize | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length >= 8 && bytes[0] === 0x89 && ascii(bytes, 1, 3) === 'PNG')
    return pngSize(bytes, view);
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
    return jpegSize(bytes, view);
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP')
    return webpSize(bytes, view);
  return undefined;
}

/**
 * Refuses an image whose header states no pixels or more than `MAX_IMAGE_PIXELS`; `place` names
 * the file. Bytes without a readable header are left to the decoder.
 */
export function checkImageSize(bytes: Uint8Array, place: string): void {
  const size = readImageSize(bytes);
  if (!size) return;
  const { format, width, height } = size;
  const pixels = width * height;
  if (pixels === 0)
    throw new Error(
      `${place}: its ${format} header gives a size of ${width}×${height}, expected at least 1×1 pixels`,
    );
  if (pixels > MAX_IMAGE_PIXELS)
    throw new Error(
      `${place} is too large: ${width}×${height} pixels (${(pixels / 1e6).toFixed(0)} megapixels), expected at most ${MAX_IMAGE_PIXELS / 1e6} megapixels per image`,
    );
}
