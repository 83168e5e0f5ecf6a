// The similarity metrics in a real browser, on WebGPU (SwiftShader here) and WASM, against the
// same float64 NumPy fixtures as the unit tests (src/engine/metrics/fixtures).
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { maxAbsDiff } from '../src/engine/metrics/matrixDiff';
import { watchErrors } from './pageErrors';

interface FixtureSet {
  name: string;
  n: number;
  widths: number[];
  layers: number[][];
  cosine: (number | null)[][] | null;
  cka: (number | null)[][];
  ckaDebiased: (number | null)[][];
  ckaMinibatch: { batchSize: number; values: (number | null)[][] }[];
  ckaRbf: { t: number; values: (number | null)[][] }[];
}

const fixtures = JSON.parse(readFileSync('src/engine/metrics/fixtures/metrics.json', 'utf8')) as {
  sets: FixtureSet[];
};
const TOL = 1e-4;

for (const backend of ['webgpu', 'wasm'] as const) {
  test(`metrics match the NumPy fixtures on ${backend}`, async ({ page }) => {
    test.setTimeout(600_000);
    const errors = watchErrors(page);
    // The smallest first screen: the page's own analyses share the CPU with these calls.
    await page.goto(`/?backend=${backend}&samples=16`);
    await expect(page.getByRole('status', { name: 'Engine backend' })).toHaveAttribute(
      'data-backend',
      backend,
    );
    // SwiftShader runs WebGPU on the CPU and compiles a shader per new shape, slowly: there one
    // set with every metric carries the check.
    const sets =
      backend === 'webgpu'
        ? fixtures.sets.filter((s) => s.name === 'n5-equal-widths')
        : fixtures.sets;
    for (const set of sets) {
      const layers = set.layers.map((flat, l) => ({
        name: `layer_${l}`,
        n: set.n,
        d: set.widths[l],
        data: flat,
      }));
      const cases: {
        metric: string;
        options: Record<string, number>;
        expected: (number | null)[][];
      }[] = [
        { metric: 'cka', options: {}, expected: set.cka },
        { metric: 'cka-debiased', options: {}, expected: set.ckaDebiased },
        ...set.ckaMinibatch.map((r) => ({
          metric: 'cka-minibatch',
          options: { batchSize: r.batchSize },
          expected: r.values,
        })),
        ...set.ckaRbf.map((r) => ({
          metric: 'cka-rbf',
          options: { rbfT: r.t },
          expected: r.values,
        })),
      ];
      if (set.cosine) cases.push({ metric: 'cosine', options: {}, expected: set.cosine });
      for (const c of cases) {
        const got = await page.evaluate(
          async ({ layers, metric, options }) => {
            const engine = window.strata!.engine;
            const typed = layers.map((l) => ({ ...l, data: Float32Array.from(l.data) }));
            const report = await engine.analyzeActivations(typed, [metric as 'cka'], options);
            return report.metrics[metric as 'cka']!;
          },
          { layers, metric: c.metric, options: c.options },
        );
        const label = `${set.name} ${c.metric} ${JSON.stringify(c.options)}`;
        // The shape first: an empty or cut-short matrix has no difference to find.
        const shape = (m: unknown[][]) => m.map((row) => row.length);
        expect(shape(got), label).toEqual(shape(c.expected));
        expect(maxAbsDiff(got, c.expected), label).toBeLessThan(TOL);
      }
    }
    expect(errors).toEqual([]);
  });
}
