// Hugging Face `datasets` Parquet files: an image column ({bytes, path} structs) or a text column,
// and a label column, read with hyparquet.
import {
  parquetMetadataAsync,
  parquetReadObjects,
  parquetSchema,
  type AsyncBuffer,
} from 'hyparquet';
import { checkRowLimit } from './fileChunks';
import type { FolderEntry } from './imageFolder';
import type { TextRows } from './labelledRows';
import { LABEL_COLUMN_NAMES, TEXT_COLUMN_NAMES } from './textCsv';

const IMAGE_COLUMN_NAMES = ['image', 'img', 'pixel_values', 'picture'];

/** A Blob as hyparquet's AsyncBuffer: it reads only the byte ranges it needs. */
export function blobBuffer(blob: Blob): AsyncBuffer {
  return { byteLength: blob.size, slice: (start, end) => blob.slice(start, end).arrayBuffer() };
}

/** What a Parquet file holds: image bytes or texts, each with a label. */
export type ParquetRows =
  { kind: 'image'; images: FolderEntry[]; labels: string[] } | { kind: 'text'; rows: TextRows };

function findColumn(names: string[], wanted: readonly string[]): string | undefined {
  const lower = names.map((n) => n.toLowerCase());
  for (const w of wanted) {
    const i = lower.indexOf(w);
    if (i >= 0) return names[i];
  }
  return undefined;
}

function labelText(value: unknown, row: number, column: string, file: string): string {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  if (typeof value === 'string' && value !== '') return value;
  throw new Error(
    `row ${row + 1} of ${file}: column "${column}" is ${value === null || value === undefined ? 'empty' : JSON.stringify(String(value))}, expected an integer or a non-empty string label`,
  );
}

/**
 * Reads a Parquet file of labelled images or texts. Errors name the file, the row (1-based) and
 * the column, e.g. a missing label column lists the columns there are.
 */
export async function readParquetRows(file: AsyncBuffer, name: string): Promise<ParquetRows> {
  let names: string[];
  let numRows: number;
  try {
    const metadata = await parquetMetadataAsync(file);
    names = parquetSchema(metadata).children.map((c) => c.element.name);
    numRows = Number(metadata.num_rows);
  } catch (e) {
    throw new Error(`${name}: not a readable Parquet file (${(e as Error).message})`);
  }
  checkRowLimit(numRows, name);
  const columns = names.map((n) => JSON.stringify(n)).join(', ');
  const label = findColumn(names, LABEL_COLUMN_NAMES);
  if (!label)
    throw new Error(
      `${name}: no label column; the columns are ${columns}, expected one named ${LABEL_COLUMN_NAMES.join(', ')}`,
    );
  const image = findColumn(names, IMAGE_COLUMN_NAMES);
  const text = findColumn(names, TEXT_COLUMN_NAMES);
  if (!image && !text)
    throw new Error(
      `${name}: no image or text column; the columns are ${columns}, expected one named ${[...IMAGE_COLUMN_NAMES, ...TEXT_COLUMN_NAMES].join(', ')}`,
    );
  let records: Record<string, unknown>[];
  try {
    records = await parquetReadObjects({ file, columns: [image ?? text!, label] });
  } catch (e) {
    throw new Error(
      `${name}: could not read columns "${image ?? text}" and "${label}" (${(e as Error).message})`,
    );
  }
  if (records.length === 0) throw new Error(`${name}: holds no rows`);
  const labels = records.map((r, i) => labelText(r[label], i, label, name));
  if (image) {
    const images = records.map((r, i): FolderEntry => {
      const cell = r[image] as { bytes?: unknown; path?: unknown } | null;
      const bytes = cell?.bytes;
      if (!(bytes instanceof Uint8Array))
        throw new Error(
          `row ${i + 1} of ${name}: column "${image}" holds no image bytes, expected a {bytes, path} struct as Hugging Face datasets write`,
        );
      const base = typeof cell?.path === 'string' && cell.path ? cell.path.split('/').pop() : '';
      const path = `${labels[i].replace(/\//g, '_')}/${base || `row-${i + 1}.png`}`;
      return { path, read: async () => bytes };
    });
    return { kind: 'image', images, labels };
  }
  const texts = records.map((r, i) => {
    const t = r[text!];
    if (typeof t !== 'string')
      throw new Error(
        `row ${i + 1} of ${name}: column "${text}" is ${JSON.stringify(t)}, expected a string`,
      );
    return t;
  });
  return { kind: 'text', rows: { kind: 'text', source: name, n: texts.length, texts, labels } };
}
