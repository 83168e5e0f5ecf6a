/**
 * A file the user gave us is not what it claims to be. The message names the file, the place in
 * it and what was expected (`train.npy: 4000 bytes of data, expected 4096 for <f4 (32, 32)`), so
 * callers can show it as is; `instanceof FileFormatError` tells bad input apart from a bug.
 */
export class FileFormatError extends Error {
  override readonly name = 'FileFormatError';

  constructor(
    /** The file as the user named it (e.g. `model.safetensors`). */
    readonly fileName: string,
    /** What is wrong and where, without the file name (it is prefixed here). */
    detail: string,
  ) {
    super(`${fileName}: ${detail}`);
  }
}
