// The engine methods of issue 6's dataset imports, mixed into EngineApi (api.ts): read the files
// in the worker, stage the rows for the page's preview, register them when the user says so.
import type { DatasetInfo, ProgressEvent } from '../apiTypes';
import type { Dataset } from '../data/types';
import type { DatasetImportRequest, StagedDataset } from '../import/datasetImportTypes';
import { browserImageDecoder, canDecodeImages } from '../import/imageDecoder';
import type { ImageDecoder } from '../import/imageFolder';
import { throwIfCancelled } from '../import/readCancel';
import type { TaskRegistry } from '../tasks';
import { readDatasetRows } from '../import/readDatasetRows';
import type { ModelConfig } from '../model/config';
import type { UserDatasets } from './userDatasets';

type OnProgress = (e: ProgressEvent) => void;

export interface DatasetImportApi {
  /**
   * Reads a dropped dataset in the worker (streamed, with progress) and stages it: the result is
   * the preview at a 20 % test split. Throws, keeping nothing, on the first problem.
   */
  importDataset(request: DatasetImportRequest, onProgress?: OnProgress): Promise<StagedDataset>;
  /** The staged dataset's preview at another test fraction. */
  resplitImportedDataset(id: string, testFraction: number): Promise<StagedDataset>;
  /** Registers the staged dataset ("Use this dataset"); it is then listed as the user's. */
  useImportedDataset(id: string, testFraction: number): Promise<DatasetInfo>;
  /** Frees a staged dataset ("Cancel"). */
  discardImportedDataset(id: string): Promise<void>;
}

export function createDatasetImportApi(deps: {
  userDatasets: UserDatasets;
  decodeImage?: ImageDecoder;
  /** Where cancelRead finds the import named by `request.readId`. */
  reads: TaskRegistry;
}): DatasetImportApi {
  const decodeImage = deps.decodeImage ?? (canDecodeImages() ? browserImageDecoder : undefined);
  const checkFraction = (f: number) => {
    if (!(f >= 0.05 && f <= 0.5))
      throw new Error(`test fraction ${f}: expected a number from 0.05 to 0.5`);
  };
  const importDatasetRows = async (
    request: DatasetImportRequest,
    onProgress: OnProgress | undefined,
    signal: AbortSignal | undefined,
  ): Promise<StagedDataset> => {
    // Images keep their own size and texts stay raw: each model adapts them as it reads them.
    const result = await readDatasetRows({
      format: request.format,
      files: request.files,
      textColumn: request.textColumn,
      labelColumn: request.labelColumn,
      decodeImage,
      onProgress: (phase, done, total) => onProgress?.({ phase, done, total }),
      signal,
    });
    const sourceFiles =
      request.files.length <= 3
        ? request.files.map((f) => f.path).join(', ')
        : `${request.title} (${request.files.length} files)`;
    throwIfCancelled(signal, request.title);
    return deps.userDatasets.stage(result, request.title, sourceFiles);
  };
  return {
    async importDataset(request, onProgress) {
      const signal = deps.reads.begin(request.readId);
      try {
        return await importDatasetRows(request, onProgress, signal);
      } finally {
        deps.reads.end(request.readId);
      }
    },

    async resplitImportedDataset(id, testFraction) {
      checkFraction(testFraction);
      return deps.userDatasets.preview(id, testFraction);
    },
    async useImportedDataset(id, testFraction) {
      checkFraction(testFraction);
      return deps.userDatasets.commit(id, testFraction);
    },
    async discardImportedDataset(id) {
      deps.userDatasets.discard(id);
    },
  };
}

/**
 * Why `model` cannot read `data`, or null when it can: the kind, the image shape, the tokenizer
 * (a user's texts must be encoded with the model's dataset's), then the classes.
 */
export function modelDataMismatch(
  modelId: string,
  config: ModelConfig,
  modelDataset: string | undefined,
  data: Dataset,
  dataInfo: DatasetInfo | undefined,
  /** Training: a head of other classes is replaced, so only the input must fit. */
  newHeadAllowed = false,
): string | null {
  const kind = config.architecture === 'vit' ? 'image' : 'text';
  const about = `model "${modelId}" cannot read dataset "${data.name}"`;
  if (kind !== data.kind)
    return `${about}: the model reads ${kind}s, the dataset holds ${data.kind}s`;
  if (config.architecture === 'vit') {
    const want = [config.imageSize, config.imageSize, config.numChannels];
    if (want.some((d, i) => d !== data.inputShape[i]))
      return `${about}: its images are ${data.inputShape.join('×')}, the model reads ${want.join('×')} (import them as your dataset, and each model resizes them as it reads them)`;
  } else if (dataInfo?.origin === 'user' && data.feed?.kind !== 'text') {
    return `${about}: no tokenizer is known to split its texts for ${modelDataset ? `a model of ${modelDataset}` : 'the model'}`;
  }
  if (!newHeadAllowed && config.numClasses !== data.classNames.length)
    return `${about}: the model's head has ${config.numClasses} classes, the dataset ${data.classNames.length} (fine-tuning on it starts a new ${data.classNames.length}-class head)`;
  return null;
}
