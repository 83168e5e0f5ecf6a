// Whether a known dataset can feed an imported model, and the shapes that decide it.
import type { DatasetInfo } from '../apiTypes';
import type { WordPieceTokenizer } from '../import/wordPiece';
import type { DatasetFit } from '../import/userImportTypes';
import { numPositions, type ModelConfig } from '../model/config';
import { userDatasetFit } from './userDatasetFit';

/** One input's shape: [H, W, C] for images, [max tokens] for text. */
export function inputShapeOf(config: ModelConfig): number[] {
  return config.architecture === 'vit'
    ? [config.imageSize, config.imageSize, config.numChannels]
    : [config.maxLength];
}

const shapeText = (s: readonly number[]) => s.join('×');

/** Longest token sequence a re-encoded text dataset gets (BERT's cost grows with T²). */
export const MAX_TEXT_TOKENS = 128;

/** Tokens one input carries through the blocks (the page's analysis budget reads it). */
export function tokensPerSample(config: ModelConfig): number {
  return config.architecture === 'vit' ? numPositions(config) : textLength(config);
}

/** Tokens per row of `config`'s re-encoded datasets. */
export function textLength(config: ModelConfig): number {
  return config.architecture === 'text' ? Math.min(config.maxLength, MAX_TEXT_TOKENS) : 0;
}

/**
 * Whether `dataset` can feed `config`: same kind, for a built-in dataset the image's exact size
 * and channels (a user's dataset is fitted per model: userDatasetFit), the same number of classes (accuracy reads the model's own head). A text
 * dataset is re-encoded with the model's own tokenizer, so a text model needs one.
 */
export function datasetFit(
  config: ModelConfig,
  dataset: DatasetInfo,
  tokenizer: WordPieceTokenizer | null = null,
  /** Why the model's own tokenizer cannot be run (RoBERTa, XLM-R), if so. */
  tokenizerLimit?: string,
): DatasetFit {
  const no = (reason: string): DatasetFit => ({ dataset: dataset.name, fits: false, reason });
  const kind = config.architecture === 'vit' ? 'image' : 'text';
  if (dataset.kind !== kind) return no(`it holds ${dataset.kind}s, the model reads ${kind}s`);
  // A user's images are resized and its texts tokenized for each model as it reads them.
  if (dataset.origin === 'user') return userDatasetFit(config, dataset, tokenizer, tokenizerLimit);
  if (config.architecture === 'vit') {
    const want = inputShapeOf(config);
    const same =
      dataset.inputShape.length === 3 && dataset.inputShape.every((v, i) => v === want[i]);
    if (!same)
      return no(
        `its images are ${shapeText(dataset.inputShape)} (H×W×C), the model reads ${shapeText(want)}`,
      );
  } else if (!tokenizer) {
    return no(
      tokenizerLimit
        ? `its texts must be encoded with the model's own tokenizer, and ${tokenizerLimit}`
        : `its texts must be encoded with the model's own tokenizer, and no tokenizer.json or vocab.txt was dropped with the model`,
    );
  }
  if (dataset.classNames.length !== config.numClasses)
    return no(
      `it has ${dataset.classNames.length} classes, the model's head has ${config.numClasses}`,
    );
  if (tokenizer)
    return {
      dataset: dataset.name,
      fits: true,
      note: `its texts are re-encoded into word pieces with ${tokenizer.file} (at most ${textLength(config)} tokens)`,
    };
  return { dataset: dataset.name, fits: true };
}
