// CSV and TSV of labelled text (a text column and a label column, by header name), parsed by
// papaparse one complete record block at a time, so a large file is never one string.
import Papa from 'papaparse';
import type { TextRows } from './labelledRows';

/** Header names taken as the text column and the label column, in order of preference. */
export const TEXT_COLUMN_NAMES = ['text', 'sentence', 'review', 'content'] as const;
export const LABEL_COLUMN_NAMES = ['label', 'labels', 'class', 'target'] as const;

export interface TextCsvOptions {
  /** ',' or '\t' (default: tab for a name ending in .tsv, else comma). */
  delimiter?: string;
  /** Header names of the text and label columns (default: found by name, see above). */
  textColumn?: string;
  labelColumn?: string;
}

/** Which columns were used, and whether they were guessed (no header name matched). */
export interface TextCsvColumns {
  names: string[];
  text: string;
  label: string;
  guessed: boolean;
}

export interface TextCsvParser {
  push(chunk: Uint8Array): void;
  finish(): TextRows & { columns: TextCsvColumns };
  readonly rows: number;
}

const QUOTE = 34;
const NEWLINE = 10;

function pickColumns(names: string[], options: TextCsvOptions, file: string): TextCsvColumns {
  const find = (wanted: readonly string[]) => {
    const lower = names.map((n) => n.trim().toLowerCase());
    for (const w of wanted) {
      const i = lower.indexOf(w);
      if (i >= 0) return names[i];
    }
    return undefined;
  };
  const chosen = (option: string | undefined, what: string) => {
    if (option !== undefined && !names.includes(option))
      throw new Error(
        `${file}: no column named ${JSON.stringify(option)} for the ${what}; the header has ${names.map((n) => JSON.stringify(n)).join(', ')}`,
      );
    return option;
  };
  let text = chosen(options.textColumn, 'text') ?? find(TEXT_COLUMN_NAMES);
  let label = chosen(options.labelColumn, 'label') ?? find(LABEL_COLUMN_NAMES);
  const guessed = !text || !label;
  // No name matched: the last column is the label, the first other one the text (the preview
  // says so and lets the user pick).
  label ??= names.find((n) => n !== text && n === names[names.length - 1]) ?? names[0];
  text ??= names.find((n) => n !== label);
  if (!text || text === label)
    throw new Error(
      `${file}: the header names ${names.length} column, expected a text and a label column`,
    );
  return { names, text, label, guessed };
}

/**
 * A streaming CSV/TSV parser of labelled text. Line 1 is the header. Every row must have as many
 * fields as the header, a non-empty label, and be valid UTF-8. Errors name the row (1-based,
 * header = row 1), the column and what was expected.
 */
export function createTextCsvParser(file: string, options: TextCsvOptions = {}): TextCsvParser {
  const delimiter = options.delimiter ?? (/\.tsv$/i.test(file) ? '\t' : ',');
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pending = new Uint8Array(0); // bytes after the last safe cut
  let quotes = 0; // quote characters seen in `pending` before `scanned`
  let scanned = 0;
  let header: string[] | null = null;
  let columns: TextCsvColumns | null = null;
  let row = 0; // rows done, header included
  let bytesBefore = 0; // file offset of pending[0]
  let first = true;
  const texts: string[] = [];
  const labels: string[] = [];

  function decode(bytes: Uint8Array): string {
    try {
      return decoder.decode(bytes);
    } catch {
      const loose = new TextDecoder().decode(bytes);
      const at = loose.indexOf('\ufffd');
      const rowsBefore = loose.slice(0, at).split('\n').length - 1;
      throw new Error(
        `row ${row + rowsBefore + 1} of ${file}: not valid UTF-8 (near byte ${bytesBefore + new TextEncoder().encode(loose.slice(0, at)).length}), expected UTF-8 text`,
      );
    }
  }

  function takeRecords(text: string): void {
    // papaparse guesses one line ending per call from the first line, so a file mixing CRLF and
    // LF would split LF rows wrongly: end every line (quoted ones too) with LF first.
    const parsed = Papa.parse<string[]>(text.replace(/\r\n?/g, '\n'), {
      delimiter,
      newline: '\n',
      skipEmptyLines: 'greedy',
    });
    const bad = parsed.errors[0];
    if (bad)
      throw new Error(
        `row ${row + (bad.row ?? 0) + 1} of ${file}: ${bad.message} (${bad.code}), expected a ${delimiter === '\t' ? 'TSV' : 'CSV'} record`,
      );
    for (const fields of parsed.data) {
      row++;
      if (!header) {
        header = fields.map((f, i) => f.trim() || `column ${i + 1}`);
        if (header.length < 2)
          throw new Error(
            `row 1 of ${file}: the header has ${header.length} column, expected a text and a label column separated by ${delimiter === '\t' ? 'tabs' : 'commas'}`,
          );
        columns = pickColumns(header, options, file);
        continue;
      }
      if (fields.length !== header.length)
        throw new Error(
          `row ${row} of ${file}: ${fields.length} fields, expected ${header.length} (as in the header)`,
        );
      const label = fields[header.indexOf(columns!.label)].trim();
      if (label === '')
        throw new Error(`row ${row} of ${file}: column "${columns!.label}" (the label) is empty`);
      texts.push(fields[header.indexOf(columns!.text)]);
      labels.push(label);
    }
  }

  function push(chunk: Uint8Array): void {
    let bytes = chunk;
    if (first && chunk.length >= 3) {
      first = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) bytes = chunk.subarray(3);
    }
    const all = new Uint8Array(pending.length + bytes.length);
    all.set(pending);
    all.set(bytes, pending.length);
    // Cut after the last newline outside quotes: everything before it is complete records.
    let cut = -1;
    for (let i = scanned; i < all.length; i++) {
      const b = all[i];
      if (b === QUOTE) quotes++;
      else if (b === NEWLINE && quotes % 2 === 0) cut = i;
    }
    if (cut < 0) {
      pending = all;
      scanned = all.length;
      return;
    }
    takeRecords(decode(all.subarray(0, cut + 1)));
    bytesBefore += cut + 1;
    pending = all.slice(cut + 1);
    quotes = 0;
    for (const b of pending) if (b === QUOTE) quotes++;
    scanned = pending.length;
  }

  return {
    push,
    get rows() {
      return texts.length;
    },
    finish() {
      if (pending.length) {
        const rest = pending;
        pending = new Uint8Array(0);
        takeRecords(decode(rest));
      }
      if (!header) throw new Error(`${file}: the file is empty, expected a header and rows`);
      if (texts.length === 0) throw new Error(`${file}: no data rows after the header`);
      return { kind: 'text', source: file, n: texts.length, texts, labels, columns: columns! };
    },
  };
}
