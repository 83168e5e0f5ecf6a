/**
 * The IDX format of LeCun's MNIST files (http://yann.lecun.com/exdb/mnist/), also used by
 * Fashion-MNIST: bytes 0–1 are zero, byte 2 the element type (0x08 = unsigned byte, the only one
 * Strata reads), byte 3 the number of dimensions d, then d big-endian uint32 sizes, then the data in
 * row-major order.
 */
export interface IdxArray {
  dims: number[];
  /** The data, a view into the input bytes (no copy). */
  data: Uint8Array;
}

const UBYTE = 0x08;

/** Parses an unsigned-byte IDX file; `source` names the file in errors. */
export function parseIdx(bytes: Uint8Array, source: string): IdxArray {
  if (bytes.length < 4) {
    throw new Error(`${source}: ${bytes.length} bytes, too short for an IDX header (at least 4)`);
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b;
    throw new Error(
      `${source}: not an IDX file (the first two bytes must be 0${gzipped ? '; these bytes are gzipped: unzip them first' : ''})`,
    );
  }
  if (bytes[2] !== UBYTE) {
    throw new Error(
      `${source}: IDX element type 0x${bytes[2].toString(16).padStart(2, '0')}, expected 0x08 (unsigned byte)`,
    );
  }
  const d = bytes[3];
  const headerLength = 4 + 4 * d;
  if (d === 0 || bytes.length < headerLength) {
    throw new Error(
      `${source}: IDX header declares ${d} dimensions but the file has ${bytes.length} bytes`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < d; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const expected = dims.reduce((a, b) => a * b, 1);
  const actual = bytes.length - headerLength;
  if (actual !== expected) {
    const what = actual < expected ? 'the file is truncated' : 'the file has trailing bytes';
    throw new Error(
      `${source}: ${actual} data bytes, expected ${expected} (${dims.join(' × ')}): ${what}`,
    );
  }
  return { dims, data: bytes.subarray(headerLength) };
}
