import { describe, expect, it } from 'vitest';
import type { AnalysisRequest } from '../../engine/apiTypes';
import { analysisFor, exitFor } from '../effects/testing';
import { analysisCaption, comparisonCaption, exitCaption } from './caption';
import { currentExitPoint, exitHistogram, thresholdRange, tradeoffChart } from './exits';
import { accuracyChart, lossChart, saturationChart, trainingAccuracyChart } from './layers';
import { sampleGridPixels } from './sampleGrid';
import {
  agreementOf,
  ckaOf,
  ckaSettingsCaption,
  differenceHeatmap,
  FIXED_DIFFERENCE_EXTENT,
  lastLayerDomain,
  lastLayerSimilarity,
  similarityHeatmap,
  undefinedCaption,
} from './similarity';

const req = (over: Partial<AnalysisRequest> = {}): AnalysisRequest => ({
  modelId: 'mnist-aligned',
  dataset: 'mnist',
  samples: 1000,
  seed: 1,
  pooling: 'cls',
  metrics: ['cosine', 'cka-debiased'],
  finalNormInHead: true,
  batchSize: 256,
  rbfT: 0.5,
  ...over,
});

describe('similarity chart data', () => {
  it('reads a metric’s matrix with the result’s layer labels, and the CKA variant used', () => {
    const r = analysisFor(req());
    expect(similarityHeatmap(r, 'cka-debiased')).toEqual({
      rowLabels: r.layers,
      colLabels: r.layers,
      values: r.metrics['cka-debiased'],
    });
    expect(similarityHeatmap(r, 'cka-rbf')).toBeNull();
    expect(ckaOf(r)).toBe('cka-debiased');
    expect(agreementOf(r, 'cka-debiased')).toEqual({ pearson: 0.9, spearman: 0.8, pairs: 3 });
  });

  it('carries the engine’s reason for undefined entries to the heatmap and its caption', () => {
    const r = analysisFor(req({ metrics: ['cosine', 'cka'] }));
    const layers = ['embeddings', 'layer_1', 'layer_2'];
    const why =
      'embeddings: constant (every sample has the same vector, as the class token has before the first block), so its centred Gram matrix is zero and CKA is 0/0';
    const result = {
      ...r,
      layers,
      metrics: {
        cosine: [
          [1, 0.2, 0.1],
          [0.2, 1, 0.9],
          [0.1, 0.9, 1],
        ],
        cka: [
          [null, null, null],
          [null, 1, 0.8],
          [null, 0.8, 1],
        ],
      },
      notes: { cka: [`${why}; its entries are null`, 'unbiased HSIC averaged over 4 batches'] },
    };
    const cka = similarityHeatmap(result, 'cka')!;
    expect(cka.rowNotes).toEqual([why, null, null]);
    expect(cka.colNotes).toEqual([why, null, null]);
    expect(undefinedCaption(cka)).toBe(` · hatched cells are undefined: ${why}`);
    // Cosine is defined everywhere: no notes, nothing added to its caption.
    const cosine = similarityHeatmap(result, 'cosine')!;
    expect(cosine.rowNotes).toBeUndefined();
    expect(undefinedCaption(cosine)).toBe('');
  });

  it('states the minibatch size and the RBF bandwidth a CKA picture was computed with', () => {
    const mb = analysisFor(req({ metrics: ['cosine', 'cka-minibatch'], batchSize: 64 }));
    expect(ckaSettingsCaption(mb, 'cka-minibatch')).toBe(' · minibatches of 64 rows');
    const rbf = analysisFor(req({ metrics: ['cosine', 'cka-rbf'], rbfT: 1.5 }));
    expect(ckaSettingsCaption(rbf, 'cka-rbf')).toBe(' · σ = 1.5 × median distance');
    expect(ckaSettingsCaption(rbf, 'cka')).toBe('');
    expect(ckaSettingsCaption(null, 'cka-rbf')).toBe('');
  });

  it('subtracts B from A entry by entry, keeps nulls, and picks the smallest extent that holds', () => {
    const labels = ['h0', 'h1'];
    const a = {
      rowLabels: labels,
      colLabels: labels,
      values: [
        [1, 0.5],
        [null, 1],
      ],
    };
    const b = {
      rowLabels: labels,
      colLabels: labels,
      values: [
        [1, 0.62],
        [0.3, 0.9],
      ],
    };
    const d = differenceHeatmap(a, b)!;
    expect(d.data.values[0][0]).toBe(0);
    expect(d.data.values[0][1]).toBeCloseTo(-0.12, 12);
    expect(d.data.values[1][0]).toBeNull();
    expect(d.data.values[1][1]).toBeCloseTo(0.1, 12);
    expect(d.extent).toBe(0.25); // max |A − B| = 0.12: 0.05 and 0.1 are too small
    expect(differenceHeatmap(a, { ...b, rowLabels: ['x', 'y'] })).toBeNull();
    expect(differenceHeatmap(a, a)!.extent).toBe(0.05);
  });

  it('keeps the difference map on ±1 across updates unless it is to be fitted', () => {
    const labels = ['h0', 'h1'];
    const grid = (v: number) => ({
      rowLabels: labels,
      colLabels: labels,
      values: [
        [1, v],
        [v, 1],
      ],
    });
    // Small and large differences, one after the other: the fixed range does not move.
    for (const v of [0.99, 0.7, 0.2, -0.6]) {
      expect(differenceHeatmap(grid(1), grid(v), 'fixed')!.extent).toBe(1);
    }
    expect(differenceHeatmap(grid(1), grid(0.99), 'fitted')!.extent).toBe(0.05);
    expect(differenceHeatmap(grid(1), grid(-0.6), 'fitted')!.extent).toBe(2);
    expect(FIXED_DIFFERENCE_EXTENT).toBe(1);
  });

  it('takes each layer’s cosine (or the compared CKA) with the last layer, per checkpoint', () => {
    const a = analysisFor(req({ samples: 3000 }));
    const data = lastLayerSimilarity([{ name: 'A', result: a }])!;
    expect(data.xLabels).toEqual(['embeddings', 'layer_1', 'layer_2']);
    expect(data.series).toEqual([{ name: 'A', values: [0.2, 0.5, 1] }]);
    const withCka = {
      ...a,
      metrics: {
        ...a.metrics,
        'cka-debiased': [
          [1, 0.4, -0.1],
          [0.4, 1, 0.7],
          [-0.1, 0.7, 1],
        ],
      },
    };
    expect(lastLayerSimilarity([{ name: 'A', result: withCka }], 'cka-debiased')!.series).toEqual([
      { name: 'A', values: [-0.1, 0.7, 1] },
    ]);
    expect(lastLayerSimilarity([{ name: 'A', result: a }], 'cka-rbf')).toBeNull();
    expect(lastLayerDomain('cosine')).toEqual([-1, 1]);
    expect(lastLayerDomain('cka-debiased')).toEqual([-1, 1]);
    expect(lastLayerDomain('cka')).toEqual([0, 1]);
  });
});

describe('per-layer chart data', () => {
  it('marks minimal depth and shifts per-layer head accuracy to start at layer 1', () => {
    const plain = analysisFor(req());
    const multi = {
      ...analysisFor(req({ modelId: 'mnist-multihead' })),
      headAccuracy: [0.7, 0.92],
    };
    const data = accuracyChart([
      { name: 'A', result: plain },
      { name: 'B', result: multi },
    ])!;
    expect(data.series.map((s) => s.name)).toEqual(['A', 'B (shared head)', 'B (per-layer heads)']);
    expect(data.series[0].marker).toEqual({ index: 2, label: 'A: minimal depth layer_2' });
    expect(data.series[2].values).toEqual([null, 0.7, 0.92]);
    expect(saturationChart([{ name: 'A', result: plain }])!.series[0].counts).toEqual([1, 3, 5]);
  });

  it('leaves out checkpoints without accuracy (a head of other classes), not their saturation', () => {
    const plain = analysisFor(req());
    const other = {
      ...analysisFor(req({ modelId: 'mnist-standard' })),
      accuracy: [],
      loss: [],
      accuracyUnavailable: 'the model’s head has 10 classes, the dataset 3',
    };
    const entries = [
      { name: 'A', result: other },
      { name: 'B', result: plain },
    ];
    expect(accuracyChart(entries)!.series.map((s) => s.name)).toEqual(['B']);
    expect(lossChart(entries)!.series.map((s) => s.name)).toEqual(['B']);
    expect(accuracyChart([entries[0]])).toBeNull();
    expect(saturationChart(entries)!.series.map((s) => s.name)).toEqual(['A', 'B']);
  });

  it('shows the base model and the latest evaluation during fine-tuning (layers 1..L)', () => {
    const base = analysisFor(req());
    const data = trainingAccuracyChart(base, 'mnist-aligned', [
      { step: 10, n: 500, accuracy: [0.5, 0.8], loss: [1, 0.5] },
      { step: 20, n: 500, accuracy: [0.7, 0.9], loss: [0.8, 0.3] },
    ])!;
    expect(data.xLabels).toEqual(['layer_1', 'layer_2']);
    expect(data.series).toEqual([
      { name: 'mnist-aligned (before)', values: [0.6, 0.9], dashed: true },
      { name: 'step 20', values: [0.7, 0.9] },
    ]);
    expect(trainingAccuracyChart(null, 'x', [])).toBeNull();
  });
});

describe('early-exit chart data', () => {
  const shared = exitFor({
    modelId: 'mnist-aligned',
    dataset: 'mnist',
    samples: 1000,
    seed: 1,
    rule: 'confidence',
  });
  const multi = exitFor({
    modelId: 'mnist-multihead',
    dataset: 'mnist',
    samples: 1000,
    seed: 1,
    rule: 'confidence',
  });

  it('draws both methods, the current point on the single classifier, the exit histogram', () => {
    const t = tradeoffChart([shared, multi])!;
    expect(t.layers).toBe(2);
    expect(t.series.map((s) => [s.name, s.dashed])).toEqual([
      ['single classifier', false],
      ['multi-head', true],
    ]);
    expect(t.series[0].points[1]).toEqual({ meanExitLayer: 1.8, accuracy: 0.9, threshold: 0.9 });
    const readout = { point: shared.tradeoff.points[0], histogram: [6, 4] };
    expect(currentExitPoint(shared, readout)).toEqual({
      series: 'single classifier',
      x: 1.2,
      y: 0.8,
    });
    expect(
      exitHistogram([
        { result: shared, readout },
        { result: multi, readout: null },
      ]),
    ).toEqual({
      labels: ['layer_1', 'layer_2'],
      series: [{ name: 'single classifier', counts: [6, 4] }],
    });
  });

  it('gives each rule a slider range: confidence [0.5, 1], entropy [0, ln C], patience 0..L', () => {
    expect(thresholdRange('confidence', 6, 10)).toEqual({ min: 0.5, max: 1, step: 0.005 });
    expect(thresholdRange('entropy', 6, 10).max).toBeCloseTo(Math.log(10), 3);
    expect(thresholdRange('patience', 6, 10)).toEqual({ min: 0, max: 6, step: 1 });
  });
});

describe('captions and the sample grid', () => {
  it('captions name the quantity, model, dataset, N and pooling', () => {
    const r = analysisFor(req());
    expect(analysisCaption('Cosine similarity', r, [])).toBe(
      'Cosine similarity · mnist-aligned · mnist test, N = 1,000 · class-token pooling',
    );
    const tokens = { ...analysisFor(req({ pooling: 'tokens', samples: 100 })), n: 1700 };
    expect(analysisCaption('CKA', tokens, [])).toContain(
      'N = 100 (1,700 token rows) · every token a row',
    );
    const capped = { ...tokens, n: 900, tokenRows: { kept: 900, total: 1700, cap: 900 } };
    expect(analysisCaption('CKA', capped, [])).toContain(
      'N = 100 (900 of 1,700 token rows: the memory cap)',
    );
    const b = analysisFor(req({ modelId: 'mnist-standard' }));
    expect(comparisonCaption('Accuracy', [r, b, null], [])).toContain(
      'mnist-aligned vs mnist-standard',
    );
    expect(exitCaption('Trade-off', [null], [])).toBe('Trade-off (computing…)');
  });

  it('draws images as dark ink on white, scaled, with a gutter', () => {
    // two 2×2 grey images: the first all ink (255), the second blank (0)
    const images = new Uint8Array([255, 255, 255, 255, 0, 0, 0, 0]);
    const { width, height, rgba } = sampleGridPixels(images, [2, 2, 1], 2, 2, 2);
    expect([width, height]).toEqual([2 * 4 + 1, 4]);
    const px = (x: number, y: number) =>
      Array.from(rgba.slice((y * width + x) * 4, (y * width + x) * 4 + 4));
    expect(px(0, 0)).toEqual([0, 0, 0, 255]);
    expect(px(3, 3)).toEqual([0, 0, 0, 255]);
    expect(px(4, 0)).toEqual([255, 255, 255, 255]); // gutter
    expect(px(5, 0)).toEqual([255, 255, 255, 255]); // blank image
    expect(() => sampleGridPixels(images, [2, 2, 2], 1, 1, 1)).toThrow(/expected \[H, W, 1\]/);
  });
});
