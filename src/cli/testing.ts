// Shared by the CLI's in-process tests: runs `strata …` through main() and captures stderr; a
// command context on the cpu engine that records what it logs; a temporary folder per test file;
// copies of fixture folders; a fixture decoder's files with its tokenizer as the page hands them.
import {
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  openAsBlob,
  readFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, vi } from 'vitest';
import { createEngine, type DecoderFiles, type EngineApi } from '../engine/api';
import { decoderFiles, decoderFolder } from '../engine/decoder/fixtures/decoderCases';
import { nodeEngineHost } from '../engine/nodeHost';
import type { CommandContext } from './context';
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

/**
 * A command context on the cpu backend: a fresh engine per command, or `engine()` when given (a
 * test that also drives that engine itself), and the lines the commands logged, in order.
 */
export function commandContext(engine?: () => EngineApi): {
  ctx: CommandContext;
  logs: string[];
} {
  const logs: string[] = [];
  const ctx: CommandContext = {
    backend: null,
    async startEngine() {
      const e = engine ? engine() : createEngine(nodeEngineHost());
      ctx.backend = await e.init({ backend: 'cpu' });
      return e;
    },
    log: (line) => logs.push(line),
  };
  return { ctx, logs };
}

/**
 * A temporary folder made before the enclosing tests and removed after them; the returned function
 * joins paths inside it (no argument: the folder itself).
 */
export function tempFolder(prefix: string): (...parts: string[]) => string {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), `strata-${prefix}-`));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return (...parts) => join(dir, ...parts);
}

/** A copy of the fixture folder `from` at `to`: every file, or only `files`. */
export function copyFixture(from: string, to: string, files?: string[]): string {
  if (!files) cpSync(from, to, { recursive: true });
  else {
    mkdirSync(to, { recursive: true });
    for (const f of files) copyFileSync(join(from, f), join(to, f));
  }
  return to;
}

export const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

/** |a − b| / max(1, |b|): the relative difference the reference comparisons use. */
export const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));

/** A fixture decoder's folder as the page hands it over: config, weights and tokenizer files. */
export async function decoderTextFiles(name: string): Promise<DecoderFiles> {
  const blob = async (file: string) => ({
    path: `${name}/${file}`,
    file: await openAsBlob(join(decoderFolder(name), file)),
  });
  return {
    ...(await decoderFiles(name)),
    tokenizer: await blob('tokenizer.json'),
    tokenizerConfig: await blob('tokenizer_config.json'),
  };
}
