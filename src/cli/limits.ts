import zlib from 'node:zlib';

// What the CLI holds in memory from one input file.

/**
 * Most bytes an archive read by the CLI (an .npz of activations or inputs) may inflate to: 2 GiB.
 * More than the page's 1 GiB (a workstation has the memory), but the arrays then go into the wasm
 * backend's heap, which cannot pass 4 GiB and must also hold the metrics' working memory; and
 * Node reads no single file over 2 GiB either, so an uncompressed .npy has the same ceiling.
 */
export const CLI_MAX_INFLATED_BYTES = 2 * 1024 ** 3;

/**
 * The zip limits of every archive the CLI reads, with Node's native CRC-32 (zlib.crc32, Node
 * 20.15 and later): the JavaScript one took ~1 s of `strata analyze` on a 54 MB .npz under load.
 */
export const CLI_ZIP_LIMITS = {
  maxTotalBytes: CLI_MAX_INFLATED_BYTES,
  ...(typeof zlib.crc32 === 'function' && { crc32: (bytes: Uint8Array) => zlib.crc32(bytes) }),
} as const;
