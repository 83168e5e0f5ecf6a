// `strata analyze` end to end, in process: activation files written here, results against the
// float64 NumPy references of src/engine/metrics/fixtures, and bad inputs that must fail cleanly.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeNpy } from '../engine/io/npy';
import { writeNpz } from '../engine/io/npz';
import { writeSafetensors } from '../engine/io/safetensors';
import { FIXTURE_SETS, maxAbsDiff } from '../engine/metrics/testing';
import { npzBomb } from '../../scripts/hostile/npzBomb';
import { strata } from './testing';

let dir: string;

const readReport = async (out: string) =>
  JSON.parse(await readFile(join(out, 'similarity.json'), 'utf8'));

describe('strata analyze --activations', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-cli-'));
  });

  it.each(FIXTURE_SETS.map((s) => [s.name, s] as const))(
    'matches the NumPy references: %s (.npz of layers)',
    async (name, set) => {
      // Names in natural order must come out layer_2 before layer_10: write them shuffled.
      const arrays = set.layers.map((flat, l) => ({
        name: `layer_${l}`,
        dtype: 'float32' as const,
        shape: [set.n, set.widths[l]],
        data: Float32Array.from(flat),
      }));
      const file = join(dir, `${name}.npz`);
      await writeFile(file, writeNpz([...arrays].reverse(), { compress: true }));
      const out = join(dir, `${name}-out`);
      const mb = set.ckaMinibatch[0];
      const rbf = set.ckaRbf[0];
      const { code, stderr } = await strata(
        'analyze',
        '--activations',
        file,
        '--batch-size',
        String(mb.batchSize),
        '--rbf-t',
        String(rbf.t),
        '--backend',
        'cpu',
        '--out',
        out,
      );
      expect(stderr).not.toMatch(/error/);
      expect(code).toBe(0);
      const report = await readReport(out);
      expect(report.layers).toEqual(arrays.map((a) => a.name));
      expect(report.n).toBe(set.n);
      expect(maxAbsDiff(report.metrics.cka, set.cka)).toBeLessThan(1e-4);
      expect(maxAbsDiff(report.metrics['cka-debiased'], set.ckaDebiased)).toBeLessThan(1e-4);
      expect(maxAbsDiff(report.metrics['cka-minibatch'], mb.values)).toBeLessThan(1e-4);
      expect(maxAbsDiff(report.metrics['cka-rbf'], rbf.values)).toBeLessThan(1e-4);
      if (set.cosine) expect(maxAbsDiff(report.metrics.cosine, set.cosine)).toBeLessThan(1e-4);
      else expect(report.metrics.cosine).toBeUndefined(); // widths differ: cosine does not apply
    },
  );

  it('names layers in its notes as it lists them: a constant "embeddings" is not "layer_0"', async () => {
    // h_0 of a class-token model: the same vector for every sample.
    const n = 12;
    const varying = (seed: number) =>
      Float32Array.from({ length: n * 4 }, (_, i) => Math.sin(seed * 7.1 + i * 1.3) + (i % 4));
    const arrays = [
      { name: 'embeddings', data: Float32Array.from({ length: n * 4 }, (_, i) => (i % 4) - 1.5) },
      { name: 'layer_1', data: varying(1) },
      { name: 'layer_2', data: varying(2) },
    ].map((a) => ({ ...a, dtype: 'float32' as const, shape: [n, 4] }));
    const file = join(dir, 'embeddings.npz');
    await writeFile(file, writeNpz(arrays, { compress: true }));
    const out = join(dir, 'embeddings-out');
    const { code } = await strata(
      'analyze',
      '--activations',
      file,
      '--metrics',
      'cosine,cka',
      '--backend',
      'cpu',
      '--out',
      out,
    );
    expect(code).toBe(0);
    const report = await readReport(out);
    expect(report.layers).toEqual(['embeddings', 'layer_1', 'layer_2']);
    expect(report.metrics.cka[0]).toEqual([null, null, null]);
    expect(report.notes.cka).toEqual([
      expect.stringMatching(/^embeddings: constant .*its centred Gram matrix is zero/),
    ]);
    expect(JSON.stringify(report.notes)).not.toContain('layer_0');
  });

  it('reads the stacked [L, N, D] layout from .npy and from .safetensors', async () => {
    const set = FIXTURE_SETS.find((s) => s.widths.every((w) => w === s.widths[0]) && s.n > 30)!;
    const data = Float32Array.from(set.layers.flat());
    const shape = [set.layers.length, set.n, set.widths[0]];
    await writeFile(
      join(dir, 'stacked.npy'),
      writeNpy({ name: 'acts', dtype: 'float32', shape, data }),
    );
    await writeFile(
      join(dir, 'stacked.safetensors'),
      writeSafetensors([{ name: 'acts', dtype: 'float32', shape, data }]),
    );
    for (const file of ['stacked.npy', 'stacked.safetensors']) {
      const out = join(dir, `${file}-out`);
      expect(
        (
          await strata(
            'analyze',
            '--activations',
            join(dir, file),
            '--metrics',
            'cosine,cka',
            '--backend',
            'cpu',
            '--out',
            out,
          )
        ).code,
      ).toBe(0);
      const report = await readReport(out);
      expect(maxAbsDiff(report.metrics.cka, set.cka)).toBeLessThan(1e-4);
      expect(maxAbsDiff(report.metrics.cosine, set.cosine!)).toBeLessThan(1e-4);
      expect(Object.keys(report.metrics)).toEqual(['cosine', 'cka']);
    }
  });

  it.each([
    ['N < 4 for debiased CKA', 'small', 'debiased CKA needs at least 4 samples, got 3'],
    ['a truncated .npz', 'truncated', 'truncated.npz'],
    ['NaN values', 'nan', 'NaN'],
    ['a safetensors header that lies', 'lying', 'lying.safetensors'],
    ['an unknown extension', 'csv', 'unknown activation format ".csv"'],
  ])('fails with a message and writes nothing: %s', async (_what, kind, message) => {
    const layer = (name: string, n: number, fill: (i: number) => number) => ({
      name,
      dtype: 'float32' as const,
      shape: [n, 3],
      data: Float32Array.from({ length: n * 3 }, (_, i) => fill(i)),
    });
    let file: string;
    let metrics = 'cka';
    if (kind === 'small') {
      file = join(dir, 'small.npz');
      await writeFile(
        file,
        writeNpz([layer('layer_0', 3, Math.sin), layer('layer_1', 3, Math.cos)]),
      );
      metrics = 'cka-debiased';
    } else if (kind === 'truncated') {
      file = join(dir, 'truncated.npz');
      const bytes = writeNpz([layer('layer_0', 10, Math.sin), layer('layer_1', 10, Math.cos)]);
      await writeFile(file, bytes.subarray(0, bytes.length - 30));
    } else if (kind === 'nan') {
      file = join(dir, 'nan.npz');
      await writeFile(
        file,
        writeNpz([
          layer('layer_0', 10, Math.sin),
          layer('layer_1', 10, (i) => (i === 7 ? NaN : i)),
        ]),
      );
    } else if (kind === 'lying') {
      file = join(dir, 'lying.safetensors');
      const bytes = writeSafetensors([
        { name: 'acts', dtype: 'float32', shape: [2, 10, 3], data: new Float32Array(60) },
      ]);
      const text = new TextDecoder().decode(bytes).replace('[2,10,3]', '[2,10,4]');
      await writeFile(file, new TextEncoder().encode(text));
    } else {
      file = join(dir, 'acts.csv');
      await writeFile(file, '1,2,3\n');
    }
    const out = join(dir, `${kind}-out`);
    const { code, stderr } = await strata(
      'analyze',
      '--activations',
      file,
      '--metrics',
      metrics,
      '--backend',
      'cpu',
      '--out',
      out,
    );
    expect(code).not.toBe(0);
    expect(stderr).toContain(message);
    expect(existsSync(join(out, 'similarity.json'))).toBe(false);
  });

  it('refuses a zip bomb (4 MB that inflate to 4 GiB) by name and limit, before inflating', async () => {
    const file = join(dir, 'bomb.npz');
    await writeFile(file, npzBomb());
    const out = join(dir, 'bomb-out');
    const { code, stderr } = await strata('analyze', '--activations', file, '--out', out);
    expect(code).toBe(1);
    expect(stderr).toContain(
      'bomb.npz: its 4 entries claim 4.00 GB (4294967808 bytes) uncompressed in total, over the limit of 2.00 GB (2147483648 bytes)',
    );
    expect(existsSync(join(out, 'similarity.json'))).toBe(false);
  });

  it('rejects bad options before any work', async () => {
    expect((await strata('analyze', '--out', join(dir, 'x'))).stderr).toContain(
      'give --activations FILE, or --model M and --dataset D',
    );
    expect(
      (await strata('analyze', '--activations', 'a.npz', '--metrics', 'cka,cca', '--out', 'x'))
        .stderr,
    ).toContain('unknown metric "cca"');
    expect(
      (await strata('analyze', '--activations', 'a.npz', '--batch-size', '2', '--out', 'x')).stderr,
    ).toContain('--batch-size 2: expected an integer from 4');
    expect((await strata('frobnicate')).code).toBe(2);
  });
});
