// A .safetensors file read tensor by tensor: the header first, then each tensor's byte range, so
// the whole file is never in memory at once (a real checkpoint is hundreds of MB).
import type { ByteSource } from './byteSource';
import type { NamedArray } from './dtypes';
import { FileFormatError } from './fileFormatError';
import {
  decodeSafetensor,
  parseSafetensorsHeader,
  safetensorsHeaderLength,
  type SafetensorsEntry,
  type SafetensorsHeader,
} from './safetensors';

/** An opened file: its checked header, and a reader of one tensor at a time. */
export interface SafetensorsFile extends SafetensorsHeader {
  source: ByteSource;
  /** Reads and decodes one tensor of `entries` (a fresh array; the raw bytes are dropped). */
  readTensor(entry: SafetensorsEntry): Promise<NamedArray>;
}

/**
 * Reads and validates a file's header (as readSafetensors does, against the file's size) without
 * reading its data. Throws a FileFormatError naming the file and, where it applies, the tensor.
 */
export async function openSafetensors(source: ByteSource): Promise<SafetensorsFile> {
  const fail = (detail: string) => new FileFormatError(source.name, detail);
  const first8 = source.size >= 8 ? await source.read(0, 8) : new Uint8Array(0);
  const headerBytes = safetensorsHeaderLength(first8, source.size, fail);
  const header = parseSafetensorsHeader(await source.read(8, 8 + headerBytes), source.size, fail);
  return {
    ...header,
    source,
    async readTensor(entry) {
      const at = header.dataStart;
      const raw = await source.read(at + entry.begin, at + entry.end);
      return decodeSafetensor(entry, raw, fail);
    },
  };
}
