// Shared by the CLI's in-process tests: runs `strata …` through main() and captures stderr.
import { vi } from 'vitest';
import { main } from './main';

/** Runs the command line in this process; resolves to its exit code and what it wrote to stderr. */
export async function strata(...args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    return { code: await main(args), stderr };
  } finally {
    spy.mockRestore();
  }
}
