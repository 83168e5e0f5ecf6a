import { mkdir, rename, rm, writeFile, mkdtemp, readdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

/**
 * Writes a command's output files all at once: into a temporary folder beside `outDir`, then
 * moved into place, so that a failing command leaves nothing half-written.
 */
export async function writeOutputs(
  outDir: string,
  files: Record<string, string | Uint8Array>,
): Promise<string[]> {
  const target = resolve(outDir);
  await mkdir(dirname(target), { recursive: true });
  const staging = await mkdtemp(join(dirname(target), '.strata-out-'));
  try {
    for (const [name, content] of Object.entries(files))
      await writeFile(join(staging, name), content);
    await mkdir(target, { recursive: true });
    const written: string[] = [];
    for (const name of await readdir(staging)) {
      await rename(join(staging, name), join(target, name));
      written.push(join(target, name));
    }
    return written;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Writes one file via a temporary name in the same folder, then renames it into place. */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const target = resolve(path);
  await mkdir(dirname(target), { recursive: true });
  const temp = `${target}.partial-${process.pid}`;
  try {
    await writeFile(temp, content);
    await rename(temp, target);
  } finally {
    await rm(temp, { force: true });
  }
}

/** JSON with two-space indents, arrays of plain values (matrix rows, curves) kept on one line. */
export function toJson(value: unknown): string {
  const text = JSON.stringify(value, null, 2);
  return (
    text.replace(
      /\[\s*\n\s*((?:[-\w."+:e ]+,\s*\n\s*)*[-\w."+:e ]+)\s*\n\s*\]/g,
      (_, body: string) => `[${body.replace(/,\s*\n\s*/g, ', ')}]`,
    ) + '\n'
  );
}
