// Whether a user's dataset can feed an imported model (the summary shown before "Use this model").
import type { DatasetInfo } from '../apiTypes';
import type { WordPieceTokenizer } from '../import/wordPiece';
import type { DatasetFit } from '../import/userImportTypes';
import type { ModelConfig } from '../model/config';

const shapeText = (s: readonly number[]) => s.join('×');

/**
 * A user's dataset feeds any model of its kind: images are resized to the model's input and texts
 * split by its tokenizer when it reads them (data/feed.ts); a head of other classes still gets the
 * similarity views.
 */
export function userDatasetFit(
  config: ModelConfig,
  dataset: DatasetInfo,
  tokenizer: WordPieceTokenizer | null,
  tokenizerLimit: string | undefined,
): DatasetFit {
  const notes: string[] = [];
  if (config.architecture === 'vit') {
    const want = [config.imageSize, config.imageSize, config.numChannels];
    if (dataset.inputShape.some((v, i) => v !== want[i]))
      notes.push(
        `its ${shapeText(dataset.inputShape)} images are resized to ${shapeText(want)} as the model reads them`,
      );
  } else if (!tokenizer) {
    return {
      dataset: dataset.name,
      fits: false,
      reason: `its texts must be split by the model's own tokenizer, and ${tokenizerLimit ?? 'no tokenizer.json or vocab.txt was dropped with the model'}`,
    };
  } else {
    notes.push(
      `its texts are split into word pieces with ${tokenizer.file} as the model reads them`,
    );
  }
  if (dataset.classNames.length !== config.numClasses)
    notes.push(
      `it has ${dataset.classNames.length} classes, the model's head ${config.numClasses}: similarity views only until a fine-tune gives it a head of ${dataset.classNames.length}`,
    );
  return { dataset: dataset.name, fits: true, ...(notes.length ? { note: notes.join('; ') } : {}) };
}
