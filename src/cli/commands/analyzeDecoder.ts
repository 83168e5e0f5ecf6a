// `strata analyze --model D --input ids.npz`: layer similarity of decoder language models (GPT-2,
// Llama, Qwen2) over pooled hidden states; with --versus-model, two decoders on the same ids.
import { basename } from 'node:path';
import { decoderConfigFromHuggingFace, isDecoderConfig } from '../../engine/decoder/decoderConfig';
import { DECODER_POOLINGS, type DecoderPooling } from '../../engine/decoder/decoderPooling';
import { readConfigJson } from '../../engine/decoder/loadDecoder';
import type { SimilarityMetric } from '../../engine/metrics/types';
import type { EngineApi } from '../../engine/api';
import type { DecoderFiles } from '../../engine/decoder/decoderApiTypes';
import type { SimilarityReport } from '../../engine/pipeline/analyze';
import type { CrossSimilarityReport } from '../../engine/pipeline/analyzeAcross';
import { choiceOption, intOption } from '../args';
import type { CommandContext } from '../context';
import { UsageError } from '../errors';
import { phaseProgress } from '../progress';
import { decoderFolderFiles, readDecoderRun } from './decoderRun';
import { modelFolder } from './hiddenStates';

interface DecoderFlags {
  model?: string;
  'versus-model'?: string;
  input?: string;
  text?: string;
  'max-length'?: string;
  samples?: string;
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

/** A decoder folder's config checked before any weight is read; its vocabulary size. */
async function decoderVocabulary(
  model: string,
  inputPath: string,
  sameVocabularyAs?: { flag: string; vocabSize: number },
): Promise<{ folder: string; files: DecoderFiles; vocabSize: number }> {
  const folder = modelFolder(model);
  const files = await decoderFolderFiles(folder);
  const json = await readConfigJson(files);
  if (!isDecoderConfig(json))
    throw new UsageError(
      `strata analyze: --input ${inputPath} holds token ids for a decoder, but ${folder} is not a ` +
        'decoder checkpoint (GPT-2, Llama, Qwen2); for an encoder give --dataset D',
    );
  const { vocabSize } = decoderConfigFromHuggingFace(json, files.config.path);
  // The same ids must mean the same tokens to both models.
  if (sameVocabularyAs && vocabSize !== sameVocabularyAs.vocabSize)
    throw new UsageError(
      `strata analyze: --versus-model ${model} has a vocabulary of ${vocabSize} tokens and ` +
        `--model ${sameVocabularyAs.flag} of ${sameVocabularyAs.vocabSize}; expected two decoders with the same tokenizer`,
    );
  return { folder, files, vocabSize };
}

/**
 * The report of one decoder (or, with --versus-model, of two decoders with the same vocabulary
 * on the same ids and the same positions) and what similarity.json says of the rows besides.
 * --text is tokenized by --model's tokenizer.json.
 */
export async function analyzeDecoders(
  o: DecoderFlags,
  settings: Settings,
  engine: EngineApi,
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
  const inputPath = (o.input ?? o.text)!;
  const a = await decoderVocabulary(o.model!, inputPath);
  const b =
    o['versus-model'] === undefined
      ? undefined
      : await decoderVocabulary(o['versus-model'], inputPath, {
          flag: o.model!,
          vocabSize: a.vocabSize,
        });
  const { arrays, truncated } = await readDecoderRun('analyze', o, a.folder, 16);
  const bar = phaseProgress();
  const result = await engine
    .decoderSimilarity(
      {
        files: a.files,
        source: a.folder,
        input: arrays,
        inputSource: inputPath,
        pooling,
        maxRows,
        seed,
        metrics: settings.metrics,
        analysisBatchSize: settings.batchSize,
        rbfT: settings.rbfT,
        knnK: settings.knnK,
        versus: b && { files: b.files, source: b.folder },
      },
      bar.onProgress,
    )
    .finally(() => bar.done());
  const { facts } = result;
  if (result.unusedTensors.length > 0)
    ctx.log(
      `note: ${result.unusedTensors.length} checkpoint tensor(s) unused: ${result.unusedTensors.slice(0, 5).join(', ')}`,
    );
  if (truncated) ctx.log(`note: ${truncated} text(s) cut at --max-length ${o['max-length']}`);
  if (facts.maxRows !== undefined && facts.rows < facts.realTokens)
    ctx.log(
      `note: ${facts.rows} of ${facts.realTokens} real tokens kept per layer (uniform draw, seed ${seed}; --max-rows raises the cap)`,
    );
  const extra: Record<string, unknown> = {
    model: basename(a.folder),
    architecture: result.architecture,
    input: basename(inputPath),
    ...facts,
  };
  if (b) {
    extra.versusModel = basename(b.folder);
    extra.versusArchitecture = result.versusArchitecture;
  }
  return { report: result.report, extra };
}
