import type { DatasetSummary, DatasetInfo } from '../apiTypes';
import { createWordTokenizer } from '../data/tokenizer';
import type { Dataset, DataSplit } from '../data/types';

function classCounts(split: DataSplit, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (let i = 0; i < split.n; i++) counts[split.y[i]]++;
  return counts;
}

/** Counts and the first `previewCount` test rows of a loaded dataset, as plain data. */
export function summarizeDataset(
  dataset: Dataset,
  info: DatasetInfo,
  previewCount = 32,
): DatasetSummary {
  const k = Math.min(previewCount, dataset.test.n);
  const rowLength = dataset.inputShape.reduce((a, b) => a * b, 1);
  const labels = Array.from(dataset.test.y.subarray(0, k));
  const preview: DatasetSummary['preview'] = { labels };
  if (dataset.kind === 'image') {
    preview.images = Uint8Array.from(dataset.test.x.subarray(0, k * rowLength));
  } else if (dataset.test.texts) {
    preview.texts = dataset.test.texts.slice(0, k); // a user's texts, kept as written
  } else if (dataset.tokenizer) {
    const tokenizer = createWordTokenizer(dataset.tokenizer);
    preview.texts = Array.from({ length: k }, (_, i) =>
      tokenizer.decode(dataset.test.x.subarray(i * rowLength, (i + 1) * rowLength)),
    );
  }
  return {
    ...info,
    trainClassCounts: classCounts(dataset.train, dataset.classNames.length),
    testClassCounts: classCounts(dataset.test, dataset.classNames.length),
    preview,
  };
}
