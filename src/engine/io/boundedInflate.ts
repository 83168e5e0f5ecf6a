import { Inflate } from 'fflate';

/**
 * Compressed bytes fed to the inflater per step. Deflate expands at most ~1032:1, so one step can
 * overshoot the expected size by at most ~16 MB before the check below stops it.
 */
const STEP = 16 * 1024;

/** Thrown inside fflate's callback to stop it; never leaves this module. */
class Overrun extends Error {}

export type BoundedInflateResult =
  | { ok: true; data: Uint8Array<ArrayBuffer> }
  /** The data inflates to more than `size` bytes; inflating stopped there. */
  | { ok: false; overrun: true };

/**
 * Inflates raw deflate `data` into a buffer of exactly `size` bytes, step by step, and stops as soon
 * as the output would pass `size` — so a header that understates an entry costs at most `size`
 * bytes and one step, never the entry's real inflated size. Returns fewer than `size` bytes when
 * the stream ends early (the caller compares); corrupt deflate data throws fflate's error.
 */
export function inflateBounded(data: Uint8Array, size: number): BoundedInflateResult {
  const out = new Uint8Array(size);
  let written = 0;
  const inflater = new Inflate((chunk) => {
    if (written + chunk.length > size) throw new Overrun();
    out.set(chunk, written);
    written += chunk.length;
  });
  try {
    for (let p = 0; p < data.length || p === 0; p += STEP) {
      inflater.push(data.subarray(p, p + STEP), p + STEP >= data.length);
    }
  } catch (e) {
    if (e instanceof Overrun) return { ok: false, overrun: true };
    throw e;
  }
  return { ok: true, data: written === size ? out : out.slice(0, written) };
}
