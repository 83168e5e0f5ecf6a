// Plain records of the page's dataset imports, re-exported by apiTypes.ts.
import type { DatasetSummary } from '../data/datasetInfo';
import type { ImportFile } from './userImportTypes';
import type { DatasetFormat } from './readDatasetRows';

export type { DatasetFormat };

/** A dataset the user dropped, as the page's recognition describes it. */
export interface DatasetImportRequest {
  files: ImportFile[];
  format: DatasetFormat;
  /** What the dataset is called (the file or folder name). */
  title: string;
  /** Text CSV/TSV: the columns to use (default: by header name). */
  textColumn?: string;
  labelColumn?: string;
  /** Names this import for cancelRead. */
  readId?: string;
}

/** A parsed dataset held for the preview; nothing is registered until useImportedDataset. */
export interface StagedDataset {
  /** Handle for resplitImportedDataset / useImportedDataset / discardImportedDataset. */
  id: string;
  testFraction: number;
  /** Counts and the first test rows at testFraction (texts as written, not tokenized). */
  summary: DatasetSummary;
  /** What was resized or converted on reading, and how models will read it. */
  notes: string[];
  /** Text CSV/TSV: the header's columns and the ones used (guessed when no name matched). */
  columns?: { names: string[]; text: string; label: string; guessed: boolean };
}
