// Plain records of the page's model and activation imports (issue 6), re-exported by apiTypes.ts.
// Files cross the worker boundary as Blobs (a File is one): the worker reads the bytes itself.
import type { DecoderSummary } from '../decoder/decoderSummary';
import type { MetricAgreement } from '../metrics/agreement';
import type { SimilarityMetric } from '../metrics/types';

/** One file handed to the engine: its path as dropped (for messages) and its contents. */
export interface ImportFile {
  path: string;
  file: Blob;
}

/**
 * A checkpoint folder as Blobs: dropped Files in the page, files opened with fs.openAsBlob in
 * Node. The engine reads config.json (and a shard index) whole and the weights slice by slice.
 */
export interface CheckpointBlobs {
  config: ImportFile;
  /** model.safetensors, or model.safetensors.index.json of a sharded checkpoint. */
  weights: ImportFile;
  /** The .safetensors shards beside the index (sharded checkpoints only). */
  shards?: ImportFile[];
}

/** A checkpoint the user dropped: config.json and weights, optionally a tokenizer. */
export interface ModelImportRequest extends CheckpointBlobs {
  /** What the model is called (the dropped folder's name, or the weights file's stem). */
  name: string;
  /** tokenizer.json or vocab.txt of a text model. */
  tokenizer?: ImportFile;
  /** tokenizer_config.json beside a decoder's tokenizer.json (its special tokens). */
  tokenizerConfig?: ImportFile;
}

/** Whether a known dataset can feed an imported model, and why not when it cannot. */
export interface DatasetFit {
  dataset: string;
  fits: boolean;
  /** Why it does not fit (input size, channels, classes, tokenizer). */
  reason?: string;
  /** What fitting involves (e.g. re-encoding texts with the model's tokenizer). */
  note?: string;
}

/** What the page shows before the user chooses "Use this model". */
export interface ModelImportSummary {
  /** Handle of the staged model for useImportedModel / discardImportedModel. */
  token: string;
  name: string;
  /** The transformers class imported (`ViTForImageClassification`, …), or `strata`. */
  architecture: string;
  kind: 'image' | 'text';
  numLayers: number;
  hiddenSize: number;
  numHeads: number;
  numClasses: number;
  classNames: string[];
  parameters: number;
  /** The tensors the model reads and their bytes in the files (what loading the weights reads). */
  weights: { tensors: number; bytes: number };
  /** One input: [H, W, C] for images, [max tokens] for text. */
  inputShape: number[];
  /** What the mapping did (e.g. BERT's pooler in the head). */
  notes: string[];
  /** Checkpoint tensors the classifier does not use. */
  unusedTensors: string[];
  /** The tokenizer file read with a text model, and its vocabulary size. */
  tokenizer?: { file: string; vocabSize: number };
  /** Why no text dataset can be re-encoded for the model (RoBERTa's tokenizer is not run). */
  tokenizerLimit?: string;
  /** Every known dataset and whether it can feed this model. */
  datasets: DatasetFit[];
  /** A decoder language model (GPT-2, Llama, Qwen2): its shape and tokenizer. */
  decoder?: DecoderSummary;
}

/** Similarity of the layers in a user's activation file (the analysis-only view). */
export interface ActivationFileReport {
  fileName: string;
  fileBytes: number;
  layers: string[];
  /** Width of each layer. */
  widths: number[];
  n: number;
  metrics: Partial<Record<SimilarityMetric, (number | null)[][]>>;
  notes: Partial<Record<SimilarityMetric, string[]>>;
  agreement: Record<string, MetricAgreement>;
  elapsedMs: number;
}
