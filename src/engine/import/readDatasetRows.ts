// One entry point from a user's files to labelled rows: picks the parser for the format, streams
// the bytes through it with progress, and enforces the import limits.
import { parseIdx } from '../data/idx';
import { checkImportSize, checkRowLimit, readAll, readChunks } from './fileChunks';
import { readImageFolder, zipEntries, type FolderEntry, type ImageDecoder } from './imageFolder';
import { parseIdxPair } from './idxPair';
import { throwIfCancelled } from './readCancel';
import type { LabelledRows } from './labelledRows';
import { blobBuffer, readParquetRows } from './parquetRows';
import { createPixelCsvParser } from './pixelCsv';
import { createTextCsvParser, type TextCsvColumns } from './textCsv';
import { createTextJsonlParser } from './textJsonl';
import { gunzipSync } from 'fflate';

/** How the page's recognition (src/app/import/classify.ts) describes a dataset drop. */
export type DatasetFormat = 'csv' | 'tsv' | 'jsonl' | 'idx' | 'images' | 'zip' | 'parquet';

export interface DatasetFile {
  /** Path relative to the drop ('/'-separated). */
  path: string;
  file: Blob;
}

export interface ReadRowsOptions {
  format: DatasetFormat;
  files: readonly DatasetFile[];
  /** [H, W, C] images are decoded to; default: the first image's own size and channels, bounded. */
  imageShape?: [number, number, number];
  textColumn?: string;
  labelColumn?: string;
  decodeImage?: ImageDecoder;
  onProgress?: (phase: string, done: number, total: number) => void;
  /** Stops the read between chunks (and between images) with a ReadCancelledError. */
  signal?: AbortSignal;
}

export interface ReadRowsResult {
  rows: LabelledRows;
  /** What happened to the data on the way (resized, converted, pooled). */
  notes: string[];
  /** Text CSV/TSV: the columns used, so the preview can offer the others. */
  columns?: TextCsvColumns;
}

const PIXEL_HEADER = /^(pixel|px|p)?[_-]?\d+(x\d+)?$/i;

/** Whether a CSV holds `label,pixel0,…` rows (else it is text): decided on its first line. */
export async function isPixelCsv(file: Blob): Promise<boolean> {
  const head = new TextDecoder().decode(await file.slice(0, 1 << 16).arrayBuffer());
  const fields = head
    .split(/\r?\n/)[0]
    .replace(/^\ufeff/, '')
    .split(',');
  if (fields.length < 3) return false;
  const rest = fields.slice(1).map((f) => f.trim().replace(/^"|"$/g, ''));
  return rest.every((f) => /^\d+$/.test(f)) || rest.every((f) => PIXEL_HEADER.test(f));
}

function only(files: readonly DatasetFile[], what: string): DatasetFile {
  if (files.length !== 1)
    throw new Error(
      `${files.map((f) => f.path).join(', ')}: ${files.length} files, expected one ${what} file`,
    );
  return files[0];
}

async function streamed<P extends { push(c: Uint8Array): void; rows: number }>(
  file: DatasetFile,
  parser: P,
  phase: string,
  { onProgress, signal }: ReadRowsOptions,
): Promise<P> {
  let reported = 0;
  await readChunks(
    file.file,
    (chunk) => {
      parser.push(chunk);
      checkRowLimit(parser.rows, file.path);
    },
    {
      onBytes: (done, total) => {
        // One message per percent: a 100 MB file comes in ~1,600 chunks.
        if (done - reported < total / 100 && done < total) return;
        reported = done;
        onProgress?.(phase, done, total);
      },
      signal,
      name: file.path,
    },
  );
  return parser;
}

/** IDX files paired as images ([N, H, W(, C)]) and labels ([N]), by their headers. */
async function readIdx(
  files: readonly DatasetFile[],
  signal: AbortSignal | undefined,
): Promise<ReadRowsResult> {
  const loaded = await Promise.all(
    files.map(async (f) => {
      let bytes = await readAll(f.file, f.path, signal);
      if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
        try {
          bytes = gunzipSync(bytes);
        } catch (e) {
          throw new Error(
            `${f.path}: could not decompress (${(e as Error).message}): truncated or damaged`,
          );
        }
      }
      return { name: f.path, bytes, dims: parseIdx(bytes, f.path).dims.length };
    }),
  );
  const images = loaded.filter((f) => f.dims >= 3);
  const labels = loaded.filter((f) => f.dims === 1);
  if (images.length !== 1 || labels.length !== 1 || loaded.length !== 2)
    throw new Error(
      `${files.map((f) => f.path).join(', ')}: expected one IDX images file ([N, H, W]) and one IDX labels file ([N]); found ${images.length} images and ${labels.length} labels files${loaded.length > images.length + labels.length ? ' and others' : ''}`,
    );
  const rows = parseIdxPair(images[0], labels[0]);
  checkRowLimit(rows.n, rows.source);
  return { rows, notes: [] };
}

/** Reads the rows of a dataset drop; throws with the file, the place and what was expected. */
export async function readDatasetRows(options: ReadRowsOptions): Promise<ReadRowsResult> {
  const { files, onProgress, signal } = options;
  if (files.length === 0) throw new Error('no files were given, expected a dataset');
  checkImportSize(files);
  for (const f of files)
    if (f.file.size === 0 && options.format !== 'images')
      throw new Error(`${f.path}: the file is empty (0 bytes)`);
  const decode: ImageDecoder =
    options.decodeImage ??
    (async () => {
      throw new Error('no image decoder here (images are decoded in the browser)');
    });
  const images = async (entries: FolderEntry[], source: string) => {
    const { rows, notes } = await readImageFolder(
      entries,
      source,
      options.imageShape,
      decode,
      (d, t) => onProgress?.('decoding images', d, t),
      signal,
    );
    return { rows, notes };
  };
  switch (options.format) {
    case 'csv':
    case 'tsv': {
      const file = only(files, 'CSV');
      if (options.format === 'csv' && (await isPixelCsv(file.file))) {
        const parser = await streamed(file, createPixelCsvParser(file.path), 'reading', options);
        return { rows: parser.finish(), notes: [] };
      }
      const parser = await streamed(
        file,
        createTextCsvParser(file.path, {
          delimiter: options.format === 'tsv' ? '\t' : undefined,
          textColumn: options.textColumn,
          labelColumn: options.labelColumn,
        }),
        'reading',
        options,
      );
      const { columns, ...rows } = parser.finish();
      return { rows, notes: [], columns };
    }
    case 'jsonl': {
      const file = only(files, 'JSONL');
      const parser = await streamed(file, createTextJsonlParser(file.path), 'reading', options);
      return { rows: parser.finish(), notes: [] };
    }
    case 'idx':
      return readIdx(files, signal);
    case 'zip': {
      const file = only(files, 'zip');
      onProgress?.('unzipping', 0, 1);
      return images(zipEntries(await readAll(file.file, file.path, signal), file.path), file.path);
    }
    case 'images': {
      const root = files[0].path.split('/')[0];
      const source = files.every((f) => f.path.startsWith(`${root}/`))
        ? `${root}/`
        : 'the dropped files';
      return images(
        files.map((f) => ({ path: f.path, read: () => readAll(f.file, f.path, signal) })),
        source,
      );
    }
    case 'parquet': {
      const file = only(files, 'Parquet');
      onProgress?.('reading', 0, 1);
      const parsed = await readParquetRows(blobBuffer(file.file), file.path);
      throwIfCancelled(signal, file.path);
      if (parsed.kind === 'text') return { rows: parsed.rows, notes: [] };
      return images(parsed.images, file.path);
    }
  }
}
