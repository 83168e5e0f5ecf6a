import { open, type FileHandle } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { FileFormatError } from '../engine/io/fileFormatError';
import { npyDataBytes, npySizeProblem, parseNpyLayout } from '../engine/io/npy';
import type { LayerRows } from '../engine/metrics/layerRows';

/** The most header a .npy is read for here; numpy writes a few hundred bytes at most. */
const HEADER_BYTES = 1 << 16;

/** LayerRows read from an open file, to be closed when the analysis is done. */
export interface FileLayerRows extends LayerRows {
  close(): Promise<void>;
}

/**
 * The layers of a .npy activation file, read from disk a block of rows at a time instead of
 * loading the file: memory stays one block, however large the file. Takes the layouts
 * `strata analyze --activations` reads (a 3-D [L, N, D] array split along its first axis into
 * layer_0 … layer_{L−1}, or one 2-D [N, D] array, a single layer named after the file) when they
 * are little-endian float32 in C order; returns null for anything else, which the in-memory
 * reader then reads (converting, reordering) or refuses with its message.
 */
export async function npyFileRows(path: string): Promise<FileLayerRows | null> {
  const name = basename(path);
  let file: FileHandle | null = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const head = new Uint8Array(Math.min(size, HEADER_BYTES));
    await file.read(head, 0, head.length, 0);
    let layout;
    try {
      layout = parseNpyLayout(head, (detail) => new FileFormatError(name, detail));
    } catch {
      return null;
    }
    const { shape, dataStart } = layout;
    const usable =
      layout.dtype === 'float32' &&
      layout.littleEndian &&
      !layout.fortranOrder &&
      (shape.length === 2 || shape.length === 3) &&
      shape.every((s) => s > 0);
    if (!usable) return null;
    if (size - dataStart !== npyDataBytes(layout)) {
      throw new FileFormatError(name, npySizeProblem(layout, size - dataStart));
    }
    const [layers, n, d] = shape.length === 3 ? shape : [1, shape[0], shape[1]];
    const names =
      shape.length === 3
        ? Array.from({ length: layers }, (_, l) => `layer_${l}`)
        : [basename(path, extname(path))];
    const handle = file;
    file = null; // from here the rows own the handle
    return {
      names,
      n,
      widths: new Array<number>(layers).fill(d),
      source: name,
      async read(l, start, count) {
        const bytes = new Uint8Array(count * d * 4); // a fresh, aligned buffer per read
        const at = dataStart + (l * n + start) * d * 4;
        const { bytesRead } = await handle.read(bytes, 0, bytes.length, at);
        if (bytesRead !== bytes.length) {
          throw new FileFormatError(
            name,
            `ended at byte ${at + bytesRead} while reading layer_${l}; was it changed while being read?`,
          );
        }
        return new Float32Array(bytes.buffer);
      },
      close: () => handle.close(),
    };
  } finally {
    await file?.close();
  }
}
