// The analysis-only path of the page: similarity of the layers in a user's activation file.
import type { ProgressEvent } from '../apiTypes';
import { readActivationFile } from '../import/activationFile';
import { MAX_IMPORT_BYTES, readBlobBytes } from '../import/readBlob';
import { throwIfCancelled } from '../import/readCancel';
import type { ActivationFileReport, ImportFile } from '../import/userImportTypes';
import { applicableMetricsFor, type SimilarityOptions } from '../metrics/similarity';
import type { SimilarityMetric } from '../metrics/types';
import { analyzeLayers } from '../pipeline/analyze';

/**
 * Reads `file` in chunks (progress "reading <file>"), takes its layers as `strata analyze
 * --activations` does, and computes the requested metrics that apply: cosine needs equal widths,
 * debiased and minibatch CKA need N ≥ 4; those left out are named in `notes`. File errors name
 * the file, the array and what was expected. Once `signal` is aborted the read stops between
 * chunks (or before the next phase) with a ReadCancelledError, and the similarity between
 * batches with a TaskAbortedError, keeping nothing.
 */
export async function analyzeActivationFile(
  file: ImportFile,
  metrics: readonly SimilarityMetric[],
  options: SimilarityOptions = {},
  onProgress?: (e: ProgressEvent) => void,
  signal?: AbortSignal,
): Promise<ActivationFileReport> {
  const start = performance.now();
  const bytes = await readBlobBytes(file.file, file.path, {
    onProgress: (done, total) => onProgress?.({ phase: `reading ${file.path}`, done, total }),
    signal,
  });
  onProgress?.({ phase: 'parsing', done: 0, total: 1 });
  const { layers } = readActivationFile(bytes, file.path, { maxTotalBytes: MAX_IMPORT_BYTES });
  throwIfCancelled(signal, file.path);
  const n = layers[0].n;
  const widths = layers.map((l) => l.d);
  const applicable = applicableMetricsFor(n, widths);
  const wanted = metrics.filter((m) => applicable.includes(m));
  const skipped = metrics.filter((m) => !applicable.includes(m));
  onProgress?.({ phase: 'computing similarity', done: 0, total: 1 });
  const report = await analyzeLayers(layers, wanted, { ...options, signal });
  const notes = { ...report.notes };
  for (const m of skipped) {
    notes[m] = [
      m === 'cosine'
        ? `cosine needs every layer to have the same width; the widths are ${[...new Set(widths)].join(', ')}`
        : `${m} needs N ≥ 4 samples; the file has ${n}`,
    ];
  }
  onProgress?.({ phase: 'computing similarity', done: 1, total: 1 });
  return {
    fileName: file.path,
    fileBytes: file.file.size,
    layers: report.layers,
    widths,
    n: report.n,
    metrics: report.metrics,
    notes,
    agreement: report.agreement,
    elapsedMs: performance.now() - start,
  };
}
