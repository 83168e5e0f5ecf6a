import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { readNpy } from '../../engine/io/npy';
import { readNpz } from '../../engine/io/npz';
import { readSafetensors } from '../../engine/io/safetensors';
import { activationLayersFromArrays } from '../../engine/io/layers';
import { ALL_METRICS, DEFAULT_MINIBATCH_SIZE } from '../../engine/metrics/similarity';
import { DEFAULT_KNN_K } from '../../engine/metrics/mutualKnn';
import type { SimilarityMetric } from '../../engine/metrics/types';
import { memoryLayerRows, type LayerRows } from '../../engine/metrics/layerRows';
import { analyzeLayerRows, type SimilarityReport } from '../../engine/pipeline/analyze';
import { analyzeAcross, type CrossSimilarityReport } from '../../engine/pipeline/analyzeAcross';
import { intOption, numberOption, parseOptions, requireOption, sampleOptions } from '../args';
import { CLI_ZIP_LIMITS } from '../limits';
import { UsageError } from '../errors';
import { toJson, writeOutputs } from '../output';
import { npyFileRows } from '../npyFileRows';
import { phaseProgress } from '../progress';
import { analyzeModelsAcross } from './analyzeAcross';
import { analyzeDecoders } from './analyzeDecoder';
import { checkModelFitsDataset, resolveDataset, resolveModel } from '../resolve';
import type { CommandContext } from '../context';

export const ANALYZE_USAGE = `strata analyze (--activations FILE [--versus FILE_B]
                | --model M [--versus-model M_B] --dataset D [--samples N] [--pooling cls|mean|tokens]
                | --model LM [--versus-model LM_B] (--input IDS | --text FILE [--max-length T])
                  [--samples N] [--pooling last|tokens|mean] [--max-rows R])
               [--metrics ${ALL_METRICS.join(',')}] [--batch-size B] [--rbf-t T]
               [--knn-k K] [--seed K] [--backend wasm|cpu|webgpu] --out DIR
  Writes DIR/similarity.json: {layers, n, metrics: {<metric>: L×L}, agreement, notes}
  With --versus / --versus-model: the same layout with versusLayers (B's layers) and matrices of
  (L_A+1)×(L_B+1), rows A, columns B, on the same samples in the same order
  (+ with a model: perLayerAccuracy and perLayerLoss of the shared head at layers 0..L, and for a
  multi-head model perLayerHeadAccuracy of its exits, g_1..g_{L−1} and its own head at L).
  With a decoder LM (GPT-2, Llama, Qwen2) and IDS (.npz of input_ids [N, T] + attention_mask, or
  .npy of input_ids): its hidden states pooled over the real tokens, \`last\` (default) the last real
  token of each sample, \`mean\` their mean, \`tokens\` every real token as a row, at most R per layer
  (default 4096) drawn uniformly with --seed; + pooling, rows, realTokens (and maxRows, seed).
  --text FILE: texts tokenized by LM's tokenizer.json as for \`strata lens\` (both models read those
  ids); --samples N: the first N rows or texts.`;

const spec = {
  activations: { type: 'string' },
  model: { type: 'string' },
  dataset: { type: 'string' },
  samples: { type: 'string' },
  pooling: { type: 'string' },
  input: { type: 'string' },
  text: { type: 'string' },
  'max-length': { type: 'string' },
  'max-rows': { type: 'string' },
  metrics: { type: 'string' },
  'batch-size': { type: 'string' },
  'rbf-t': { type: 'string' },
  'knn-k': { type: 'string' },
  versus: { type: 'string' },
  'versus-model': { type: 'string' },
  seed: { type: 'string' },
  backend: { type: 'string' },
  out: { type: 'string' },
} as const;

export function parseMetrics(value: string | undefined): SimilarityMetric[] | undefined {
  if (value === undefined) return undefined;
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0) throw new UsageError('strata analyze: --metrics is empty');
  for (const name of names) {
    if (!(ALL_METRICS as readonly string[]).includes(name)) {
      throw new UsageError(
        `strata analyze: --metrics: unknown metric "${name}", expected some of ${ALL_METRICS.join(', ')}`,
      );
    }
  }
  return names as SimilarityMetric[];
}

/**
 * The layers of an activation file: a float32 .npy is read from disk block by block as the
 * analysis asks (memory stays bounded however large the file); other files are read whole.
 */
async function readActivations(path: string): Promise<LayerRows & { close?(): Promise<void> }> {
  const name = basename(path);
  const ext = extname(path).toLowerCase();
  if (!['.npz', '.npy', '.safetensors'].includes(ext)) {
    throw new UsageError(
      `${path}: unknown activation format "${ext}", expected .npz, .npy or .safetensors`,
    );
  }
  let bytes: Uint8Array;
  try {
    if (ext === '.npy') {
      const rows = await npyFileRows(path);
      if (rows) return rows;
    }
    bytes = await readFile(path); // a Buffer is a Uint8Array: the readers view it, not copy it
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (!code) throw e;
    throw new UsageError(`${path}: cannot read (${code})`);
  }
  const arrays =
    ext === '.npz'
      ? readNpz(bytes, name, CLI_ZIP_LIMITS)
      : ext === '.npy'
        ? [readNpy(bytes, name)]
        : readSafetensors(bytes, name).tensors;
  return memoryLayerRows(activationLayersFromArrays(arrays, name).layers);
}

export async function analyzeCommand(argv: string[], ctx: CommandContext): Promise<void> {
  const o = parseOptions('analyze', argv, spec);
  const out = requireOption('analyze', 'out', o.out);
  const metrics = parseMetrics(o.metrics);
  const batchSize = intOption('analyze', 'batch-size', o['batch-size'], DEFAULT_MINIBATCH_SIZE, 4);
  const rbfT = numberOption('analyze', 'rbf-t', o['rbf-t'], 0.5, Number.MIN_VALUE);
  const knnK = intOption('analyze', 'knn-k', o['knn-k'], DEFAULT_KNN_K, 1);
  if (o.versus && !o.activations)
    throw new UsageError(
      'strata analyze: --versus FILE compares with --activations FILE; give both',
    );
  if (o['versus-model'] && !o.model)
    throw new UsageError('strata analyze: --versus-model M_B compares with --model M; give both');
  const ids = o.input ?? o.text;
  if (o.activations && (o.model || o.dataset || ids))
    throw new UsageError('strata analyze: give --activations, or --model and --dataset, not both');
  if (o.dataset && ids)
    throw new UsageError(
      'strata analyze: give --dataset D (encoders) or --input IDS (decoders), not both',
    );
  if (!o.activations && !(o.model && (o.dataset || ids)))
    throw new UsageError(
      'strata analyze: give --activations FILE, or --model M and --dataset D (or --input IDS for a decoder)',
    );
  if (o['max-rows'] !== undefined && !ids)
    throw new UsageError(
      "strata analyze: --max-rows caps a decoder's token rows; give --input IDS",
    );
  const engine = await ctx.startEngine(o.backend);

  let report: SimilarityReport | CrossSimilarityReport;
  let extra: Record<string, unknown> = {};
  if (o.activations && o.versus) {
    const a = await readActivations(o.activations);
    try {
      const b = await readActivations(o.versus);
      try {
        report = await analyzeAcross(a, b, metrics, { batchSize, rbfT, knnK });
      } finally {
        await b.close?.();
      }
    } finally {
      await a.close?.();
    }
  } else if (o.activations) {
    const layers = await readActivations(o.activations);
    try {
      report = await analyzeLayerRows(layers, metrics, { batchSize, rbfT, knnK });
    } finally {
      await layers.close?.();
    }
  } else if (ids) {
    const settings = { metrics, batchSize, rbfT, knnK };
    ({ report, extra } = await analyzeDecoders(o, settings, engine, ctx));
  } else if (o['versus-model']) {
    const crossed = await analyzeModelsAcross(engine, o, { metrics, batchSize, rbfT, knnK });
    report = crossed.report;
    extra = crossed.extra;
  } else {
    const dataset = await resolveDataset(engine, o.dataset!);
    const model = await resolveModel(engine, o.model!, dataset.name);
    checkModelFitsDataset(model.info, o.model!, dataset);
    const { samples, pooling, seed } = sampleOptions(o, dataset);
    const progress = phaseProgress();
    const result = await engine.analyze(
      {
        modelId: model.id,
        dataset: dataset.name,
        samples,
        seed,
        pooling,
        metrics,
        finalNormInHead: true,
        batchSize,
        rbfT,
      },
      progress.onProgress,
    );
    progress.done();
    const { layers, n, notes, agreement, skipped } = result;
    report = { layers, n, metrics: result.metrics, notes, agreement, ...(skipped && { skipped }) };
    extra = {
      model: model.name,
      dataset: dataset.name,
      split: 'test',
      samples,
      seed,
      pooling: result.request.pooling,
      perLayerAccuracy: result.accuracy,
      perLayerLoss: result.loss,
    };
    // Indexed by layer 0..L like perLayerAccuracy; no head reads the embeddings.
    if (result.headAccuracy) extra.perLayerHeadAccuracy = [null, ...result.headAccuracy];
  }
  for (const [metric, why] of Object.entries(report.skipped ?? {})) {
    ctx.log(`note: ${metric} not computed: ${why}`);
  }
  const written = await writeOutputs(out, {
    'similarity.json': toJson({ ...report, ...extra, backend: ctx.backend?.name }),
  });
  const versus = 'versusLayers' in report ? ` × ${report.versusLayers.length}` : '';
  ctx.log(
    `wrote ${written.join(', ')} (${report.layers.length}${versus} layers, n = ${report.n}, ${Object.keys(report.metrics).join(', ')})`,
  );
}
