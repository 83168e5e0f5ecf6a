// The analysis entry point at scale and at the edges of float32: the streamed path gives what the
// whole-layer path gives, every metric is the same for a layer scaled by 1e-30 … 1e30, a constant
// layer (and only a constant one) is called constant, and RBF CKA is left out with a reason when
// its N×N matrices would not fit, the other metrics computed.
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { initNodeBackend } from '../nodeBackend';
import { maxAbsDiff, TEST_BACKENDS } from '../metrics/testing';
import { SIMILARITY_METRICS } from '../metrics/similarity';
import type { SimilarityMetric } from '../metrics/types';
import { memoryLayerRows } from '../metrics/layerRows';
import {
  analyzeLayerRows,
  analyzeLayers,
  type AnalyzeOptions,
  type LayerActivations,
} from './analyze';

/** Seeded layers with non-zero means and correlated columns, as real activations have. */
function makeLayers(n: number, widths: readonly number[], seed: number): LayerActivations[] {
  let state = seed;
  const rand = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 - 0.5;
  };
  const base = Array.from({ length: n * 4 }, rand);
  return widths.map((d, l) => {
    const data = new Float32Array(n * d);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < d; c++) {
        const shared = base[i * 4 + (c % 4)] * (l + 1);
        data[i * d + c] = 3 + c * 0.1 + shared + rand() * (0.3 + 0.2 * l);
      }
    }
    return { name: `layer_${l}`, n, d, data };
  });
}

function scaled(layer: LayerActivations, factor: number): LayerActivations {
  return { ...layer, data: layer.data.map((v) => v * factor) };
}

const STREAM_SMALL: AnalyzeOptions = {
  path: 'streamed',
  batchSize: 16,
  rbfT: 0.5,
  // Blocks of 7 rows of four 12-wide layers, layers multiplied in groups of up to 24 columns,
  // and room for one product of two groups at a time: several blocks, groups and passes.
  streamed: { blockFloats: 7 * 48, accumulatorFloats: 300, groupColumns: 24 },
};

describe.each(TEST_BACKENDS)('analyzeLayers on %s', (backend) => {
  beforeAll(async () => {
    await initNodeBackend(backend);
  });

  it('streamed blocks give what whole layers on the device give, every metric', async () => {
    const equal = makeLayers(61, [12, 12, 12, 12], 5);
    equal[2].data.fill(0, 3 * 12, 4 * 12); // a zero row: cosine counts it and adds 0
    const mixed = makeLayers(61, [12, 5, 9], 6);
    for (const layers of [equal, mixed]) {
      const metrics = layers === equal ? [...SIMILARITY_METRICS] : SIMILARITY_METRICS.slice(1);
      const device = await analyzeLayers(layers, metrics, { ...STREAM_SMALL, path: 'device' });
      const streamed = await analyzeLayers(layers, metrics, STREAM_SMALL);
      for (const metric of metrics) {
        const a = device.metrics[metric]!;
        const b = streamed.metrics[metric]!;
        expect(b.length, metric).toBe(layers.length);
        expect(maxAbsDiff(b, a), metric).toBeLessThan(2e-5);
        expect(streamed.notes[metric], metric).toEqual(device.notes[metric]);
      }
      if (layers === equal) {
        expect(streamed.notes.cosine).toEqual([expect.stringMatching(/^layer_2: 1 of 61 rows/)]);
      }
      // Not vacuous: the layers differ from each other.
      expect(device.metrics.cka![0][layers.length - 1]).toBeLessThan(0.97);
    }
  });

  it('every metric is the same for a layer scaled by 1e-30 … 1e30', async () => {
    const layers = makeLayers(40, [6, 6, 6], 9);
    const metrics: SimilarityMetric[] = [...SIMILARITY_METRICS];
    for (const path of ['device', 'streamed'] as const) {
      const options = { ...STREAM_SMALL, path };
      const reference = await analyzeLayers(layers, metrics, options);
      for (const factor of [1e-30, 1e-12, 1e12, 1e30]) {
        const got = await analyzeLayers(
          [scaled(layers[0], factor), layers[1], scaled(layers[2], factor)],
          metrics,
          options,
        );
        for (const metric of metrics) {
          const where = `${metric}, ×${factor}, ${path}`;
          expect(maxAbsDiff(got.metrics[metric]!, reference.metrics[metric]!), where).toBeLessThan(
            1e-4,
          );
        }
        expect(got.notes, `${factor}`).toEqual(reference.notes);
      }
    }
  });

  it('says "constant" of a constant layer only, at any scale', async () => {
    const [a, b] = makeLayers(30, [5, 5], 3);
    const row = [0.1, -2, 3e-3, 7, 0.25];
    const constant: LayerActivations = {
      name: 'cls',
      n: 30,
      d: 5,
      data: Float32Array.from({ length: 150 }, (_, i) => row[i % 5]),
    };
    for (const path of ['device', 'streamed'] as const) {
      for (const factor of [1, 1e-30, 1e30]) {
        const layers = [scaled(constant, factor), scaled(a, factor), b];
        const got = await analyzeLayers(layers, undefined, { ...STREAM_SMALL, path });
        for (const metric of ['cka', 'cka-debiased', 'cka-minibatch', 'cka-rbf'] as const) {
          const notes = (got.notes[metric] ?? []).join('\n');
          // Named as the result lists the layer (a model's h_0 is "embeddings"), not by index.
          expect(notes, `${metric} ${factor} ${path}`).toMatch(/^cls: constant/);
          expect(notes).toContain('its centred Gram matrix is zero');
          expect(notes).not.toMatch(/layer_\d: /);
          expect(got.metrics[metric]![0]).toEqual([null, null, null]);
          expect(got.metrics[metric]![1][2]).not.toBeNull();
        }
        // Cosine is defined for a constant layer.
        expect(got.metrics.cosine![0][0]).toBeCloseTo(1, 6);
      }
    }
  });

  it('leaves out RBF CKA with its reason when its N×N matrices do not fit, computing the rest', async () => {
    const layers = makeLayers(200, [8, 8, 8], 4);
    const small = { rbfFloats: 100_000 };
    const byDefault = await analyzeLayers(layers, undefined, small);
    expect(Object.keys(byDefault.metrics)).toEqual(SIMILARITY_METRICS.slice(0, 4));
    expect(byDefault.skipped?.['cka-rbf']).toMatch(
      /RBF CKA holds an N×N kernel matrix per layer: 3 layers at N = 200 need 0.8 MB, over its budget of 0.4 MB; it fits up to N = 139 samples/,
    );
    expect(byDefault.notes['cka-rbf']).toEqual([`not computed: ${byDefault.skipped!['cka-rbf']}`]);
    const asked = await analyzeLayers(layers, ['cka-rbf', 'cka'], small);
    expect(Object.keys(asked.metrics)).toEqual(['cka']);
    expect(asked.skipped).toHaveProperty('cka-rbf');
    // With room, the same request computes it.
    const roomy = await analyzeLayers(layers, ['cka-rbf', 'cka'], {});
    expect(Object.keys(roomy.metrics)).toEqual(['cka-rbf', 'cka']);
    expect(roomy.skipped).toBeUndefined();
  });

  it('takes 400 layers without deep recursion or argument spreads', async () => {
    const layers = makeLayers(6, new Array<number>(400).fill(3), 8);
    const metrics: SimilarityMetric[] = ['cosine', 'cka', 'cka-debiased'];
    const report = await analyzeLayers(layers, metrics);
    expect(report.metrics.cka!.length).toBe(400);
    expect(report.metrics.cka![399].length).toBe(400);
    // A pair's similarity does not depend on the other layers: check a few against the device path.
    const picked = [0, 137, 398, 399];
    const few = await analyzeLayers(
      picked.map((l) => layers[l]),
      metrics,
      { path: 'device' },
    );
    for (const metric of metrics) {
      const sub = picked.map((l) => picked.map((m) => report.metrics[metric]![l][m]));
      expect(maxAbsDiff(sub, few.metrics[metric]!), metric).toBeLessThan(1e-4);
    }
  });

  it('stops within one block of rows once aborted, on either path, leaving no tensor', async () => {
    const layers = makeLayers(61, [12, 12, 12, 12], 7);
    const metrics = [...SIMILARITY_METRICS];
    for (const path of ['device', 'streamed'] as const) {
      const options = { ...STREAM_SMALL, path };
      await analyzeLayers(layers, metrics, options); // warm-up
      // Reads of a run left alone, then an abort at every third of them: at most one more block
      // (one read per layer) follows it.
      const memory = memoryLayerRows(layers);
      let total = 0;
      await analyzeLayerRows(
        { ...memory, read: (...a) => (total++, memory.read(...a)) },
        metrics,
        options,
      );
      for (const at of [1, Math.floor(total / 3), Math.floor((2 * total) / 3)]) {
        const before = tf.memory().numTensors;
        const controller = new AbortController();
        let reads = 0;
        const rows = {
          ...memory,
          read: (l: number, start: number, count: number) => {
            if (++reads === at) controller.abort();
            return memory.read(l, start, count);
          },
        };
        const outcome = await analyzeLayerRows(rows, metrics, {
          ...options,
          signal: controller.signal,
        }).catch((e: Error) => e);
        expect((outcome as Error).name, `${path} at read ${at}`).toBe('TaskAbortedError');
        expect(reads - at, `${path} at read ${at}`).toBeLessThanOrEqual(layers.length);
        expect(tf.memory().numTensors, `${path} at read ${at}`).toBe(before);
      }
    }
  });

  it('leaves no tensor behind on either path', async () => {
    const layers = makeLayers(33, [4, 4, 4], 2);
    for (const path of ['device', 'streamed'] as const) {
      await analyzeLayers(layers, undefined, { ...STREAM_SMALL, path }); // warm-up
      const before = tf.memory().numTensors;
      await analyzeLayers(layers, undefined, { ...STREAM_SMALL, path });
      expect(tf.memory().numTensors, path).toBe(before);
    }
  });
});
