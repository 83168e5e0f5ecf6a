// Tests only: forging the central directory of an archive fflate wrote, to build hostile zips cheaply.

/** Sets entry `index`'s claimed uncompressed size and/or CRC-32 in the central directory. */
export function forgeCentralEntry(
  bytes: Uint8Array,
  index: number,
  fields: { size?: number; crc?: number },
): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = view.getUint32(bytes.length - 22 + 16, true);
  for (let i = 0; i < index; i++) {
    p += 46 + view.getUint16(p + 28, true) + view.getUint16(p + 30, true);
  }
  if (fields.size !== undefined) view.setUint32(p + 24, fields.size, true);
  if (fields.crc !== undefined) view.setUint32(p + 16, fields.crc, true);
}

/** Forges every entry of the archive to claim `size` bytes uncompressed. */
export function forgeAllSizes(bytes: Uint8Array, entries: number, size: number): Uint8Array {
  for (let i = 0; i < entries; i++) forgeCentralEntry(bytes, i, { size });
  return bytes;
}
