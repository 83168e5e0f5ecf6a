import { cellAgreement, type MetricAgreement } from '../metrics/agreement';
import type { LayerRows } from '../metrics/layerRows';
import { applicableMetricsFor } from '../metrics/similarity';
import type { SimilarityMetric } from '../metrics/types';
import { analyzeLayerRows, type AnalyzeOptions } from './analyze';

/**
 * Two models compared layer by layer on the same samples: `metrics[m][l][j]` compares layer l of
 * A (`layers`) with layer j of B (`versusLayers`), an (L_A+1)×(L_B+1) matrix, rows A.
 */
export interface CrossSimilarityReport {
  layers: string[];
  versusLayers: string[];
  n: number;
  metrics: Partial<Record<SimilarityMetric, (number | null)[][]>>;
  notes: Partial<Record<SimilarityMetric, string[]>>;
  /** Rank (and Pearson) correlation of each measure with cosine over every pair (l, j). */
  agreement: Record<string, MetricAgreement>;
  skipped?: Partial<Record<SimilarityMetric, string>>;
}

/** A's layers then B's, as one list (a read of layer l goes to the model that holds it). */
function bothModels(a: LayerRows, b: LayerRows): LayerRows {
  const la = a.widths.length;
  return {
    names: [...a.names.map((x) => `A ${x}`), ...b.names.map((x) => `B ${x}`)],
    n: a.n,
    widths: [...a.widths, ...b.widths],
    read: (l, start, count) => (l < la ? a.read(l, start, count) : b.read(l - la, start, count)),
    source: a.source ?? b.source,
  };
}

/** `layer_7` of the joint list said as `B layer_3` in notes. */
function renameLayers(note: string, la: number): string {
  return note.replace(/layer_(\d+)/g, (_, i: string) =>
    Number(i) < la ? `A layer_${i}` : `B layer_${Number(i) - la}`,
  );
}

/**
 * Every requested measure between each layer of model A and each layer of model B, over the same
 * N samples in the same order (all that apply when `metrics` is absent). Widths may differ,
 * except for cosine, which is refused then with a message naming a pair. The two layer lists
 * are analysed as one (analyzeLayerRows: each layer scanned, centred and decomposed once); the
 * rows-A × columns-B block is kept. Procrustes, SVCCA and k-NN compute only that block.
 */
export async function analyzeAcross(
  a: LayerRows,
  b: LayerRows,
  metrics: readonly SimilarityMetric[] | undefined,
  options: AnalyzeOptions = {},
): Promise<CrossSimilarityReport> {
  if (a.n !== b.n) {
    throw new Error(
      `analysis across models: A has ${a.n} samples and B has ${b.n}; expected the same ` +
        'samples in the same order',
    );
  }
  if (metrics?.includes('cosine')) {
    const j = b.widths.findIndex((d) => d !== a.widths[0]);
    const l = a.widths.findIndex((d) => d !== a.widths[0]);
    if (j >= 0 || l >= 0) {
      const [side, idx, width] = l >= 0 ? ['A', l, a.widths[l]] : ['B', j, b.widths[j]];
      throw new Error(
        `cosine across models needs equal widths: A layer_0 has ${a.widths[0]}, ` +
          `${side} layer_${idx} has ${width}; use a CKA variant, Procrustes, SVCCA or k-NN`,
      );
    }
  }
  const la = a.widths.length;
  const joint = bothModels(a, b);
  const wanted = metrics ?? applicableMetricsFor(joint.n, joint.widths);
  const report = await analyzeLayerRows(joint, wanted, { ...options, split: la });
  const block = (values: (number | null)[][]) => values.slice(0, la).map((row) => row.slice(la));
  const out: CrossSimilarityReport = {
    layers: [...a.names],
    versusLayers: [...b.names],
    n: a.n,
    metrics: {},
    notes: {},
    agreement: {},
  };
  for (const [metric, values] of Object.entries(report.metrics)) {
    out.metrics[metric as SimilarityMetric] = block(values!);
  }
  for (const [metric, notes] of Object.entries(report.notes)) {
    out.notes[metric as SimilarityMetric] = notes!.map((note) => renameLayers(note, la));
  }
  const cosine = out.metrics.cosine;
  if (cosine) {
    for (const [metric, values] of Object.entries(out.metrics)) {
      if (metric !== 'cosine') out.agreement[`cosine~${metric}`] = cellAgreement(cosine, values!);
    }
  }
  if (report.skipped) out.skipped = report.skipped;
  return out;
}
