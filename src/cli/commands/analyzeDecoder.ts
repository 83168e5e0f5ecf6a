// `strata analyze --model D --input ids.npz`: layer similarity of decoder language models (GPT-2,
// Llama, Qwen2) over pooled hidden states; with --versus-model, two decoders on the same ids.
import { basename } from 'node:path';
import {
  decoderConfigFromHuggingFace,
  isDecoderConfig,
  type DecoderConfig,
} from '../../engine/decoder/decoderConfig';
import { decoderLayerRows, type DecoderRows } from '../../engine/decoder/decoderLayerRows';
import { DECODER_POOLINGS, type DecoderPooling } from '../../engine/decoder/decoderPooling';
import { decoderRowFacts } from '../../engine/decoder/decoderSimilarity';
import { readConfigJson } from '../../engine/decoder/loadDecoder';
import { memoryLayerRows } from '../../engine/metrics/layerRows';
import type { SimilarityMetric } from '../../engine/metrics/types';
import { analyzeLayerRows, type SimilarityReport } from '../../engine/pipeline/analyze';
import { analyzeAcross, type CrossSimilarityReport } from '../../engine/pipeline/analyzeAcross';
import { choiceOption, intOption } from '../args';
import { checkpointFolderFiles } from '../checkpointFolder';
import type { CommandContext } from '../context';
import { UsageError } from '../errors';
import { withDecoder } from './decoderRun';
import { modelFolder, readInputArrays } from './hiddenStates';

interface DecoderFlags {
  model?: string;
  'versus-model'?: string;
  input?: string;
  pooling?: string;
  'max-rows'?: string;
  seed?: string;
}

interface Settings {
  metrics: SimilarityMetric[] | undefined;
  batchSize: number;
  rbfT: number;
  knnK: number;
}

/** `last` when absent; `cls` refused: a decoder's first token has seen only itself. */
export function decoderPoolingOption(value: string | undefined): DecoderPooling {
  if (value === 'cls')
    throw new UsageError(
      'strata analyze: --pooling cls: a decoder has no class token (its first token sees only ' +
        `itself); expected one of ${DECODER_POOLINGS.join(', ')}`,
    );
  return choiceOption('analyze', 'pooling', value, DECODER_POOLINGS, 'last');
}

/** One decoder's pooled rows, the model freed before they are analysed. */
async function rowsOf(
  model: string,
  arrays: Awaited<ReturnType<typeof readInputArrays>>,
  inputPath: string,
  options: { pooling: DecoderPooling; maxRows?: number; seed: number },
  ctx: CommandContext,
  sameVocabularyAs?: { flag: string; vocabSize: number },
): Promise<{ rows: DecoderRows; config: DecoderConfig }> {
  const folder = modelFolder(model);
  const files = await checkpointFolderFiles(folder);
  const json = await readConfigJson(files);
  if (!isDecoderConfig(json))
    throw new UsageError(
      `strata analyze: --input ${inputPath} holds token ids for a decoder, but ${folder} is not a ` +
        'decoder checkpoint (GPT-2, Llama, Qwen2); for an encoder give --dataset D',
    );
  const { vocabSize } = decoderConfigFromHuggingFace(json, files.config.path);
  // Checked before loading: the same ids must mean the same tokens to both models.
  if (sameVocabularyAs && vocabSize !== sameVocabularyAs.vocabSize)
    throw new UsageError(
      `strata analyze: --versus-model ${model} has a vocabulary of ${vocabSize} tokens and ` +
        `--model ${sameVocabularyAs.flag} of ${sameVocabularyAs.vocabSize}; expected two decoders with the same tokenizer`,
    );
  const run = { folder, files, arrays, inputPath, batchSize: 16 };
  return withDecoder(run, ctx, async (params, input, bar) => ({
    config: params.config,
    rows: await decoderLayerRows(params, input, {
      ...options,
      onProgress: (done, total) => bar.onProgress({ phase: 'hidden states', done, total }),
    }),
  }));
}

/**
 * The report of one decoder (or, with --versus-model, of two decoders with the same vocabulary
 * on the same ids and the same positions) and what similarity.json says of the rows besides.
 */
export async function analyzeDecoders(
  o: DecoderFlags,
  settings: Settings,
  ctx: CommandContext,
): Promise<{ report: SimilarityReport | CrossSimilarityReport; extra: Record<string, unknown> }> {
  const pooling = decoderPoolingOption(o.pooling);
  if (o['max-rows'] !== undefined && pooling !== 'tokens')
    throw new UsageError(
      `strata analyze: --max-rows caps the token rows of --pooling tokens; --pooling is ${pooling}`,
    );
  const maxRows =
    o['max-rows'] === undefined ? undefined : intOption('analyze', 'max-rows', o['max-rows'], 1);
  const seed = intOption('analyze', 'seed', o.seed, 0, 0);
  const inputPath = o.input!;
  const arrays = await readInputArrays(inputPath);
  const options = { pooling, maxRows, seed };
  const a = await rowsOf(o.model!, arrays, inputPath, options, ctx);
  const facts = decoderRowFacts(a.rows);
  if (facts.maxRows !== undefined && facts.rows < facts.realTokens)
    ctx.log(
      `note: ${facts.rows} of ${facts.realTokens} real tokens kept per layer (uniform draw, seed ${seed}; --max-rows raises the cap)`,
    );
  const analysis = { batchSize: settings.batchSize, rbfT: settings.rbfT, knnK: settings.knnK };
  const extra: Record<string, unknown> = {
    model: basename(modelFolder(o.model!)),
    architecture: a.config.architecture,
    input: basename(inputPath),
    ...facts,
  };
  if (!o['versus-model']) {
    const report = await analyzeLayerRows(
      memoryLayerRows(a.rows.layers),
      settings.metrics,
      analysis,
    );
    return { report, extra };
  }
  // B reads A's rows: the same cap (A's default may be below B's) gives the same positions.
  const b = await rowsOf(
    o['versus-model'],
    arrays,
    inputPath,
    { ...options, maxRows: a.rows.maxRows },
    ctx,
    { flag: o.model!, vocabSize: a.config.vocabSize },
  );
  const [rowsA, rowsB] = [a.rows.layers, b.rows.layers].map(memoryLayerRows);
  const report = await analyzeAcross(rowsA, rowsB, settings.metrics, analysis);
  extra.versusModel = basename(modelFolder(o['versus-model']));
  extra.versusArchitecture = b.config.architecture;
  return { report, extra };
}
