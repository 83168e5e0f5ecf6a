// The files of a drop or a picker, with their paths relative to what was dropped: folders are
// walked through the File and Directory Entries API (webkitGetAsEntry), which every current
// browser implements for drops.
import type { DroppedFile } from './types';

/** Most files one drop may hold (a folder of 100k images is the dataset limit). */
export const MAX_DROPPED_FILES = 100_000;

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

function readBatch(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

async function walk(entry: FileSystemEntry, prefix: string, out: DroppedFile[]): Promise<void> {
  const path = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (out.length > MAX_DROPPED_FILES)
    throw new Error(
      `${path}: more than ${MAX_DROPPED_FILES.toLocaleString('en-US')} files in one drop`,
    );
  if (entry.isFile) {
    out.push({ path, file: await fileOf(entry as FileSystemFileEntry) });
    return;
  }
  if (!entry.isDirectory) return;
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries hands out a directory in batches (100 in Chromium) until an empty one.
  for (;;) {
    const batch = await readBatch(reader);
    if (batch.length === 0) break;
    for (const child of batch) await walk(child, path, out);
  }
}

/**
 * Takes what a drop event carries. The entries must be taken during the event (the list empties
 * after it), so call this synchronously in the handler and await the promise afterwards.
 */
export function filesFromDataTransfer(transfer: DataTransfer): Promise<DroppedFile[]> {
  const entries: FileSystemEntry[] = [];
  const loose: File[] = [];
  try {
    for (const item of Array.from(transfer.items ?? [])) {
      if (item.kind !== 'file') continue;
      const entry = typeof item.webkitGetAsEntry === 'function' ? item.webkitGetAsEntry() : null;
      if (entry) entries.push(entry);
      else {
        const file = item.getAsFile();
        if (file) loose.push(file);
      }
    }
    if (entries.length === 0 && loose.length === 0) loose.push(...Array.from(transfer.files ?? []));
  } catch (e) {
    return Promise.reject(e); // reported by the caller, like any failure of the walk
  }
  return (async () => {
    const out: DroppedFile[] = loose.map((file) => ({ path: file.name, file }));
    for (const entry of entries) await walk(entry, '', out);
    return out;
  })();
}

/** The files of an `<input type="file">`; a folder picker's keep their relative paths. */
export function filesFromInput(list: FileList | null): DroppedFile[] {
  return Array.from(list ?? [], (file) => ({ path: file.webkitRelativePath || file.name, file }));
}
