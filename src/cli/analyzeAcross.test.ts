// `strata analyze --versus` and `--versus-model`, in process: two activation files against the
// float64 NumPy references of src/engine/metrics/fixtures/make_cross_fixtures.py, two built-in
// checkpoints on the same samples, and requests that must be refused cleanly.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeNpz } from '../engine/io/npz';
import fixtures from '../engine/metrics/fixtures/cross.json';
import { maxAbsDiff } from '../engine/metrics/testing';
import { strata } from './testing';

type CrossSet = (typeof fixtures.sets)[number];
let dir: string;

const readReport = async (out: string) =>
  JSON.parse(await readFile(join(out, 'similarity.json'), 'utf8'));

async function writeModel(set: CrossSet, side: 'a' | 'b'): Promise<string> {
  const arrays = set[side].layers.map((flat, l) => ({
    name: `layer_${l}`,
    dtype: 'float32' as const,
    shape: [set.n, set[side].widths[l]],
    data: Float32Array.from(flat),
  }));
  const file = join(dir, `${set.name}-${side}.npz`);
  await writeFile(file, writeNpz(arrays, { compress: true }));
  return file;
}

describe('strata analyze --versus', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-versus-'));
  });

  it.each(fixtures.sets.map((s) => [s.name, s] as const))(
    'matches the NumPy references across two files: %s',
    async (name, set) => {
      const a = await writeModel(set, 'a');
      const b = await writeModel(set, 'b');
      const out = join(dir, `${name}-out`);
      const metrics = [
        'procrustes',
        'svcca',
        'knn',
        'cka',
        ...(set.across.cosine ? ['cosine'] : []),
      ];
      const { code, stderr } = await strata(
        'analyze',
        ...['--activations', a, '--versus', b, '--metrics', metrics.join(',')],
        ...['--knn-k', String(set.knnK), '--backend', 'cpu', '--out', out],
      );
      expect(stderr).not.toMatch(/error/);
      expect(code).toBe(0);
      const report = await readReport(out);
      expect(report.layers).toEqual(set.a.widths.map((_, l) => `layer_${l}`));
      expect(report.versusLayers).toEqual(set.b.widths.map((_, l) => `layer_${l}`));
      expect(report.n).toBe(set.n);
      expect(Object.keys(report.metrics)).toEqual(metrics);
      for (const m of metrics) {
        const values = report.metrics[m];
        expect(values.length).toBe(set.a.widths.length);
        values.forEach((row: unknown[]) => expect(row.length).toBe(set.b.widths.length));
      }
      expect(maxAbsDiff(report.metrics.procrustes, set.across.procrustes)).toBeLessThan(1e-4);
      expect(maxAbsDiff(report.metrics.svcca, set.across.svcca)).toBeLessThan(1e-4);
      expect(maxAbsDiff(report.metrics.knn, set.across.knn)).toBeLessThan(1e-2);
      expect(maxAbsDiff(report.metrics.cka, set.across.cka)).toBeLessThan(1e-4);
      if (set.across.cosine) {
        expect(maxAbsDiff(report.metrics.cosine, set.across.cosine)).toBeLessThan(1e-4);
        expect(Object.keys(report.agreement)).toEqual([
          'cosine~procrustes',
          'cosine~svcca',
          'cosine~knn',
          'cosine~cka',
        ]);
        expect(report.agreement['cosine~svcca'].pairs).toBe(
          set.a.widths.length * set.b.widths.length -
            (name.includes('constant') ? set.b.widths.length : 0),
        );
      }
      if (name.includes('constant')) {
        expect(report.notes.svcca.join('\n')).toMatch(/A layer_1: constant/);
      }
    },
  );

  it('refuses cosine across unequal widths, naming a layer of each side', async () => {
    const set = fixtures.sets[0];
    const a = await writeModel(set, 'a');
    const b = await writeModel(set, 'b');
    const { code, stderr } = await strata(
      'analyze',
      ...['--activations', a, '--versus', b, '--metrics', 'cosine,svcca', '--out', join(dir, 'c')],
    );
    expect(code).not.toBe(0);
    expect(stderr).toContain(
      'cosine across models needs equal widths: A layer_0 has 8, A layer_2 has 12',
    );
  });

  it('refuses --versus without --activations, and two files of other sample counts', async () => {
    const { stderr } = await strata('analyze', '--versus', 'b.npz', '--out', join(dir, 'x'));
    expect(stderr).toContain('--versus FILE compares with --activations FILE; give both');
    const a = await writeModel(fixtures.sets[0], 'a'); // 60 samples
    const b = await writeModel(fixtures.sets[1], 'b'); // 24 samples
    const other = await strata(
      'analyze',
      '--activations',
      a,
      '--versus',
      b,
      '--out',
      join(dir, 'y'),
    );
    expect(other.code).not.toBe(0);
    expect(other.stderr).toContain('A has 60 samples and B has 24');
  });
});

describe('strata analyze --versus-model', () => {
  it('compares two built-in checkpoints on the same samples, rows A and columns B', async () => {
    const out = join(dir, 'models');
    const { code, stderr } = await strata(
      'analyze',
      ...['--model', 'mnist-standard', '--versus-model', 'mnist-aligned', '--dataset', 'mnist'],
      ...['--samples', '64', '--metrics', 'cosine,cka,procrustes,svcca,knn', '--backend', 'cpu'],
      ...['--out', out],
    );
    expect(stderr).not.toMatch(/error/);
    expect(code).toBe(0);
    const report = await readReport(out);
    expect(report.model).toBe('mnist-standard');
    expect(report.versusModel).toBe('mnist-aligned');
    expect(report.n).toBe(64);
    const la = report.layers.length;
    const lb = report.versusLayers.length;
    for (const m of ['cosine', 'cka', 'procrustes', 'svcca', 'knn']) {
      expect(report.metrics[m].length).toBe(la);
      expect(report.metrics[m][0].length).toBe(lb);
    }
    // Layer 0 is the class token before any block: the same vector for every sample, so these
    // measures are undefined there and say so; every other value is a similarity in [0, 1].
    for (const m of ['procrustes', 'svcca', 'knn']) {
      expect(report.metrics[m][0].every((v: unknown) => v === null)).toBe(true);
      expect(report.notes[m].join('\n')).toMatch(/A embeddings: constant/);
      for (const row of report.metrics[m].slice(1)) {
        for (const v of row.slice(1)) {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(1 + 1e-6);
        }
      }
    }
    // The two checkpoints' last layers are more alike than A's last layer and B's first block.
    const last = report.metrics.svcca[la - 1];
    expect(last[lb - 1]).toBeGreaterThan(last[1]);
  });
});
