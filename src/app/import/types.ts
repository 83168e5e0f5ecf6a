// What the page's drop zone and file picker hand to the importers: every file with its path
// relative to what was dropped (a folder's files keep their sub-folders, e.g. "digits/7/a.png").

/** One file the user dropped or picked. */
export interface DroppedFile {
  /** Path relative to the drop, '/'-separated; a lone file is just its name. */
  path: string;
  file: File;
}

/** What a drop was recognised as. */
export type DropKind = 'dataset' | 'model' | 'activations' | 'session';

/** An importer of one kind: validates and loads, or reports the problem and changes nothing. */
export type DropImporter = (files: readonly DroppedFile[]) => Promise<void>;
