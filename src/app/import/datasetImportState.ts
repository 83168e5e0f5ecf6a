// A dataset the engine has read and staged, while the user looks at its preview and decides.
// Transient (never in a link or in storage), so it lives outside the page's store.
import { create } from 'zustand';
import type { DatasetFormat, StagedDataset } from '../../engine/apiTypes';
import type { DroppedFile } from './types';

export interface PendingDataset {
  staged: StagedDataset;
  /** What was dropped, kept to read it again with other columns. */
  files: DroppedFile[];
  format: DatasetFormat;
  title: string;
}

export interface DatasetImportState {
  pending: PendingDataset | null;
  /** An engine call on the pending dataset is under way (resplit, use, re-read). */
  busy: boolean;
}

export const useDatasetImport = create<DatasetImportState>()(() => ({
  pending: null,
  busy: false,
}));

/** Back to the initial state (tests). */
export function resetDatasetImport(): void {
  useDatasetImport.setState({ pending: null, busy: false });
}
