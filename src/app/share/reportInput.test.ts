// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type { AnalysisResult, ExitResult } from '../../engine/apiTypes';
import { createStrataStore } from '../store';
import { STRATA_VERSION } from './exportContext';
import type { ExportSource } from './exportSource';
import { collectReportInput, reportRefusal } from './reportInput';

function analysis(modelId: string, accuracy: number[]): AnalysisResult {
  return {
    request: { modelId, dataset: 'mnist', samples: 100, seed: 1, pooling: 'cls' },
    layers: accuracy.map((_, l) => `layer_${l}`),
    accuracy,
    loss: accuracy.map((a) => 1 - a),
    minimalDepth: accuracy.length - 1,
  } as unknown as AnalysisResult;
}

function exit(modelId: string, classifier: 'shared' | 'per-layer'): ExitResult {
  return {
    request: { modelId, dataset: 'mnist', samples: 100, seed: 1, rule: 'confidence' },
    classifier,
    tradeoff: {
      rule: 'confidence',
      layers: 2,
      samples: 100,
      points: [{ threshold: 0.9, accuracy: 0.8, meanExitLayer: 1.5, speedup: 4 / 3, flops: null }],
      perLayerAccuracy: [0.7, 0.9],
    },
    revision: 0,
  };
}

const source = (caption: string, svg: () => string): ExportSource => ({
  kind: 'heatmap',
  element: () => null,
  caption: () => caption,
  toSvg: svg,
  data: () => null,
  csv: () => '',
});

describe('collectReportInput', () => {
  it('gathers the checkpoints once each, the exit tables, the config and the charts', () => {
    const store = createStrataStore();
    const s = store.getState();
    s.setConfig({ modelId: 'mnist-aligned', dataset: 'mnist' });
    s.setRun({ backendInfo: { name: 'wasm', adapter: 'cpu', reason: 'r', threads: true } });
    s.setAnalysis('main', analysis('mnist-aligned', [0.1, 0.5, 0.9]));
    s.setAnalysis('a', analysis('mnist-standard', [0.1, 0.2, 0.95]));
    s.setAnalysis('b', analysis('mnist-aligned', [0.1, 0.5, 0.9]));
    s.setResults({
      exits: {
        shared: exit('mnist-aligned', 'shared'),
        multi: exit('mnist-multihead', 'per-layer'),
      },
      readout: {
        threshold: 0.9,
        sweep: null,
        shared: { point: exit('x', 'shared').tradeoff.points[0], histogram: [50, 50] },
        multi: null,
      },
    });
    const date = new Date('2026-11-30T08:00:00Z');
    const input = collectReportInput(
      store.getState(),
      [
        source('Cosine', () => '<svg xmlns="http://www.w3.org/2000/svg"/>'),
        source('Broken', () => {
          throw new Error('no data yet');
        }),
      ],
      date,
    );
    expect(input.date).toBe(date);
    expect(input.version).toBe(STRATA_VERSION);
    expect(input.backend).toBe('wasm (threads)');
    expect(input.model).toBe('mnist-aligned');
    expect(input.accuracy?.models.map((m) => m.name)).toEqual([
      'A: mnist-standard',
      'B: mnist-aligned',
    ]);
    expect(input.accuracy?.layers).toEqual(['layer_0', 'layer_1', 'layer_2']);
    expect(input.exits?.rule).toBe('confidence');
    expect(input.exits?.threshold).toBe(0.9);
    expect(input.exits?.tradeoff.series.map((x) => x.name)).toEqual([
      'single classifier',
      'multi-head',
    ]);
    expect(input.exits?.readout).toEqual([
      {
        name: 'single classifier (mnist-aligned)',
        accuracy: 0.8,
        meanExitLayer: 1.5,
        speedup: 4 / 3,
      },
    ]);
    expect(input.config).toEqual(store.getState().config);
    expect(input.charts).toEqual([
      { caption: 'Cosine', svg: '<svg xmlns="http://www.w3.org/2000/svg"/>' },
      { caption: 'Broken (not exported: Error: no data yet)', svg: '' },
    ]);
  });

  it('leaves the tables out before anything is computed', () => {
    const input = collectReportInput(createStrataStore().getState(), []);
    expect(input.accuracy).toBeNull();
    expect(input.exits).toBeNull();
    expect(input.dataset).toBeNull();
    expect(input.backend).toBe('unknown backend');
  });
});

describe('reportRefusal', () => {
  it('refuses a report while a view is out of date, saying which, and allows it once current', () => {
    const store = createStrataStore();
    const s = store.getState();
    s.setConfig({ modelId: 'mnist-aligned', dataset: 'mnist' });
    const request = {
      modelId: 'mnist-aligned',
      dataset: 'mnist',
      samples: 1000,
      seed: 1,
      pooling: 'cls',
      metrics: ['cosine', 'cka'],
      finalNormInHead: true,
      batchSize: 256,
      rbfT: 0.5,
    };
    s.setAnalysis('main', { ...analysis('mnist-aligned', [0.5]), request } as AnalysisResult);
    expect(reportRefusal(store.getState(), [])).toBeNull();
    s.setConfig({ pooling: 'mean' });
    expect(reportRefusal(store.getState(), [])).toBe(
      'not made while charts are updating: updating… for mean pooling (out of date: computed for cls pooling). Export it once they have updated',
    );
    // A figure that says it is out of date holds the report back too.
    s.setConfig({ pooling: 'cls' });
    const stale = {
      ...source('A', () => '<svg/>'),
      stale: () => 'out of date (x); updating… for y',
    };
    expect(reportRefusal(store.getState(), [stale])).toContain('updating… for y');
  });
});
