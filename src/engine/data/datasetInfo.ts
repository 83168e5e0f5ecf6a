// The plain records that describe a dataset to the page and the CLI (no rows, no tensors). A leaf
// module: apiTypes.ts and the import records both take them from here.

/** A built-in dataset, before it is loaded. */
export interface DatasetInfo {
  name: string;
  title: string;
  kind: 'image' | 'text';
  classNames: string[];
  inputShape: number[];
  trainCount: number;
  testCount: number;
  source: string;
  licence: string;
  /** `user`: imported in this session (absent: built-in). */
  origin?: 'builtin' | 'user';
}

/** A loaded dataset: counts and a preview for the Model & data panel. */
export interface DatasetSummary extends DatasetInfo {
  trainClassCounts: number[];
  testClassCounts: number[];
  /** The first test rows: images [k, H, W, C] uint8, or decoded texts. */
  preview: { labels: number[]; images?: Uint8Array; texts?: string[] };
}
