// The shipped command line is build/cli/strata.mjs, run by bin/strata.mjs: built here from the
// current sources, it must write what the sources write; without it, bin/strata.mjs says so.
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeNpz } from '../engine/io/npz';
import { strata } from './testing';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
let dir: string;

/** Runs `node SCRIPT ARGS` from the repository root; resolves to its exit code and output. */
async function node(script: string, ...args: string[]) {
  return nodeWith({}, script, ...args);
}

/** `node SCRIPT ARGS` with more variables in its environment. */
async function nodeWith(env: Record<string, string>, script: string, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [script, ...args], {
      cwd: root,
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const { code, stdout, stderr } = e as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

/** Three small layers in an .npz, seeded so both sides read the same numbers. */
function smallActivations(): Uint8Array {
  let state = 7;
  const next = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  return writeNpz(
    [0, 1, 2].map((l) => ({
      name: `layer_${l}`,
      dtype: 'float32' as const,
      shape: [24, 8],
      data: Float32Array.from({ length: 24 * 8 }, next),
    })),
  );
}

describe('the compiled command line', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-compiled-'));
    const built = await node('scripts/build-cli.mjs');
    expect(built.code, built.stderr).toBe(0);
  }, 180_000);

  it('writes the same similarity.json as the sources for the same activations file', async () => {
    const file = join(dir, 'acts.npz');
    await writeFile(file, smallActivations());
    const args = ['analyze', '--activations', file, '--metrics', 'cosine,cka,cka-debiased'];
    const fromSource = await strata(...args, '--out', join(dir, 'source'));
    expect(fromSource.code, fromSource.stderr).toBe(0);
    const compiled = await node('bin/strata.mjs', ...args, '--out', join(dir, 'compiled'));
    expect(compiled.code, compiled.stderr).toBe(0);
    expect(compiled.stderr).not.toMatch(/missing|TypeScript sources/);
    const [a, b] = await Promise.all(
      ['source', 'compiled'].map((o) => readFile(join(dir, o, 'similarity.json'), 'utf8')),
    );
    expect(JSON.parse(b)).toEqual(JSON.parse(a));
    expect(JSON.parse(a).backend).toBe('wasm');
  }, 120_000);

  it("runs wasm's threaded build with STRATA_WASM_THREADS=1: same matrices, no files left behind", async () => {
    const file = join(dir, 'threads.npz');
    await writeFile(file, smallActivations());
    const args = ['analyze', '--activations', file, '--metrics', 'cosine,cka'];
    const single = await node('bin/strata.mjs', ...args, '--out', join(dir, 'one'));
    expect(single.code, single.stderr).toBe(0);
    expect(single.stderr).not.toContain('threaded build');
    // The threaded build's glue is written to files in the temporary folder (nodeWasmThreads.ts).
    const temp = join(dir, 'tmp');
    await mkdir(temp);
    const threaded = await nodeWith(
      { STRATA_WASM_THREADS: '1', TMPDIR: temp },
      'bin/strata.mjs',
      ...args,
      '--out',
      join(dir, 'threads'),
    );
    expect(threaded.code, threaded.stderr).toBe(0);
    expect(threaded.stderr).toContain("wasm's threaded build runs on worker_threads");
    const [a, b] = await Promise.all(
      ['one', 'threads'].map(async (o) =>
        JSON.parse(await readFile(join(dir, o, 'similarity.json'), 'utf8')),
      ),
    );
    for (const metric of ['cosine', 'cka'])
      a.metrics[metric].forEach((row: number[], i: number) =>
        row.forEach((v, j) => expect(b.metrics[metric][i][j]).toBeCloseTo(v, 6)),
      );
    expect(await readdir(temp)).toEqual([]);
  }, 120_000);

  it('says how to build it when it is missing, and runs the sources meanwhile', async () => {
    // A checkout without build/: bin/ as shipped, the sources and packages linked in.
    const checkout = await mkdtemp(join(tmpdir(), 'strata-nobuild-'));
    await mkdir(join(checkout, 'bin'));
    for (const f of ['strata.mjs', 'tfjs-resolve.mjs'])
      await copyFile(join(root, 'bin', f), join(checkout, 'bin', f));
    await symlink(join(root, 'src'), join(checkout, 'src'));
    await symlink(join(root, 'node_modules'), join(checkout, 'node_modules'));
    const { code, stdout, stderr } = await node(join(checkout, 'bin/strata.mjs'), '--help');
    expect(stderr).toContain(`${join(checkout, 'build/cli/strata.mjs')} is missing`);
    expect(stderr).toContain('npm run build:cli');
    expect(code).toBe(0);
    expect(stdout).toContain('strata analyze');
  }, 120_000);
});
