// Raw texts for a language model, one sample each: .txt (a text per line), .jsonl (a "text"
// field) or .csv / .tsv (a text column). No labels: a decoder reads the texts alone.
import Papa from 'papaparse';
import { TEXT_COLUMN_NAMES } from './textCsv';

export const TEXT_FILE_EXTENSIONS = ['.txt', '.jsonl', '.csv', '.tsv'] as const;

function decode(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new Error(`${file}: not valid UTF-8, expected a text file`);
  }
}

function jsonlTexts(text: string, file: string): string[] {
  const texts: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      throw new Error(`line ${i + 1} of ${file}: not valid JSON, expected {"text": "..."}`);
    }
    const value = (record as { text?: unknown } | null)?.text;
    if (typeof value !== 'string')
      throw new Error(`line ${i + 1} of ${file}: "text" is missing or not a string`);
    texts.push(value);
  });
  return texts;
}

function csvTexts(text: string, file: string, delimiter: string): string[] {
  const parsed = Papa.parse<string[]>(text, { delimiter, skipEmptyLines: true });
  const [header, ...rows] = parsed.data;
  if (parsed.errors.length > 0) {
    const e = parsed.errors[0];
    throw new Error(`row ${(e.row ?? 0) + 1} of ${file}: ${e.message}`);
  }
  const names = (header ?? []).map((n) => n.trim().toLowerCase());
  const column = TEXT_COLUMN_NAMES.map((w) => names.indexOf(w)).find((i) => i >= 0);
  if (column === undefined)
    throw new Error(
      `${file}: no text column, expected a header naming one of ${TEXT_COLUMN_NAMES.join(', ')} (it has ${(header ?? []).map((n) => JSON.stringify(n)).join(', ')})`,
    );
  return rows.map((row, i) => {
    if (row[column] === undefined)
      throw new Error(`row ${i + 2} of ${file}: ${row.length} field(s), no ${header[column]}`);
    return row[column];
  });
}

/**
 * The texts of a .txt (each non-blank line; a trailing \r dropped), .jsonl or .csv / .tsv file.
 * Errors name the file, the line or row, and what was expected.
 */
export function readLmTexts(bytes: Uint8Array, file: string): string[] {
  const ext = file.slice(file.lastIndexOf('.')).toLowerCase();
  const text = decode(bytes, file);
  let texts: string[];
  if (ext === '.txt')
    texts = text
      .split('\n')
      .map((line) => line.replace(/\r$/, ''))
      .filter((line) => line.trim() !== '');
  else if (ext === '.jsonl') texts = jsonlTexts(text, file);
  else if (ext === '.csv' || ext === '.tsv')
    texts = csvTexts(text, file, ext === '.tsv' ? '\t' : ',');
  else
    throw new Error(
      `${file}: text format "${ext}" is not read, expected ${TEXT_FILE_EXTENSIONS.join(', ')}`,
    );
  if (texts.length === 0) throw new Error(`${file}: no text in it, expected one or more`);
  return texts;
}
