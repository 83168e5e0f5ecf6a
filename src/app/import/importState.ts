// What the model and activation imports hold while the user decides: a staged model's summary,
// the analysis-only view of an activation file, and the progress of a file being read. Kept out of
// the page's store: it is transient (never in a link or in storage) and only src/app/import uses it.
import { create } from 'zustand';
import type {
  ActivationFileReport,
  ModelImportSummary,
  ProgressEvent,
} from '../../engine/apiTypes';
import type { CkaMetric } from '../state/config';

/** The analysis-only mode: similarity of a file's layers, and where to go back to. */
export interface ActivationsView {
  report: ActivationFileReport;
  /** The CKA variant computed beside cosine. */
  cka: CkaMetric;
  /** The model and dataset on show when the file was opened ("Back to …"). */
  previousModelId: string | null;
  previousDataset: string | null;
}

export interface ImportState {
  /** A checkpoint read and checked by the engine, awaiting "Use this model" or "Cancel". */
  pendingModel: ModelImportSummary | null;
  activations: ActivationsView | null;
  /** A file being read or checked by the engine: what, and how far. */
  progress: {
    label: string;
    event: ProgressEvent | null;
    /** The engine's name of the read, when the user may cancel it. */
    readId?: string;
    /** Cancel was pressed: whatever the engine answers now, the page keeps nothing. */
    cancelling?: boolean;
  } | null;
}

export const INITIAL_IMPORT_STATE: ImportState = {
  pendingModel: null,
  activations: null,
  progress: null,
};

export const useImports = create<ImportState>()(() => ({ ...INITIAL_IMPORT_STATE }));

/** Back to the initial state (tests). */
export function resetImports(): void {
  useImports.setState({ ...INITIAL_IMPORT_STATE });
}

/** The message for a drop that arrives while another file is read: it names the new drop. */
export function stillReadingMessage(dropped: string, busyLabel: string): string {
  return `${dropped}: not opened, a file is still being read (${busyLabel}); drop it again when that is done.`;
}
