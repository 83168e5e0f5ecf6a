// Test helper: checks on the FileFormatErrors the readers throw. Imported by the *.test.ts files
// beside it, never by the engine.
import { expect, it } from 'vitest';
import { FileFormatError } from './fileFormatError';

/** The FileFormatError `read` throws; fails the test when it returns or throws anything else. */
export function formatErrorOf(read: () => unknown): FileFormatError {
  try {
    read();
  } catch (e) {
    expect(e).toBeInstanceOf(FileFormatError);
    return e as FileFormatError;
  }
  throw new Error('expected a FileFormatError, the read returned');
}

/** One test per case `[what, input, message]`: `read(input)` throws a FileFormatError saying `message`. */
export function itReportsEach<I>(
  cases: readonly (readonly [what: string, input: I, message: string])[],
  read: (input: I) => unknown,
): void {
  for (const [what, input, message] of cases) {
    it(`reports ${what}`, () => {
      expect(formatErrorOf(() => read(input)).message).toContain(message);
    });
  }
}

/** Reading `bytes` cut at every length throws a FileFormatError that starts with `file`'s name. */
export function expectNamedErrorsWhenCut(
  bytes: Uint8Array,
  file: string,
  read: (bytes: Uint8Array, file: string) => unknown,
): void {
  for (let cut = 0; cut < bytes.length; cut++) {
    const error = formatErrorOf(() => read(bytes.subarray(0, cut), file));
    expect(error.message.startsWith(`${file}: `)).toBe(true);
  }
}
