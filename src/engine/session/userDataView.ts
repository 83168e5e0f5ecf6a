// A user's dataset as one model reads it: its images at the model's H×W×C, its raw texts through
// the model's tokenizer, made batch by batch (data/feed.ts) — never a second copy of the rows.
import { imageView, textView } from '../data/feed';
import type { Dataset, TextEncoder } from '../data/types';
import type { ModelConfig } from '../model/config';

/**
 * The view of user dataset `data` that a model of `config` reads. A text model without a known
 * tokenizer (`encoder` resolves to undefined) gets the stored rows, which modelDataMismatch then
 * refuses with a message; a dataset of the other kind is left for that check too.
 */
export async function userDataView(
  config: ModelConfig,
  data: Dataset,
  encoder: () => Promise<TextEncoder | undefined>,
): Promise<Dataset> {
  if (config.architecture === 'vit') {
    if (data.kind !== 'image') return data;
    return imageView(data, [config.imageSize, config.imageSize, config.numChannels]);
  }
  if (data.kind !== 'text' || !data.train.texts) return data;
  const e = await encoder();
  return e ? textView(data, e) : data;
}
