// JSON Lines of labelled text: one `{"text": "...", "label": ...}` object per line.
import type { TextRows } from './labelledRows';

const NEWLINE = 0x0a;

export interface TextJsonlOptions {
  /** Field holding the text (default `text`). */
  textField?: string;
  /** Field holding the label, a string or an integer (default `label`). */
  labelField?: string;
}

/**
 * Parses JSONL bytes line by line: each non-blank line must be valid UTF-8 and a JSON object with
 * a string text field and a string or integer label field; other fields are ignored. Errors name
 * the line (1-based) and what was expected, e.g. `line 3 of reviews.jsonl: "label" is missing`.
 */
export function parseTextJsonl(
  bytes: Uint8Array,
  file: string,
  options: TextJsonlOptions = {},
): TextRows {
  const textField = options.textField ?? 'text';
  const labelField = options.labelField ?? 'label';
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const texts: string[] = [];
  const labels: string[] = [];
  let start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0; // UTF-8 BOM
  for (let line = 1; start < bytes.length; line++) {
    const found = bytes.indexOf(NEWLINE, start);
    const end = found < 0 ? bytes.length : found;
    const fail = (detail: string): never => {
      throw new Error(`line ${line} of ${file}: ${detail}`);
    };
    let text: string;
    try {
      text = decoder.decode(bytes.subarray(start, end));
    } catch {
      fail('not valid UTF-8');
    }
    start = end + 1;
    if (text!.trim() === '') continue;
    let record: unknown;
    try {
      record = JSON.parse(text!);
    } catch (e) {
      fail(`not valid JSON (${(e as Error).message})`);
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      fail(`expected a JSON object {"${textField}": ..., "${labelField}": ...}`);
    }
    const r = record as Record<string, unknown>;
    const value = r[textField];
    if (typeof value !== 'string') {
      fail(
        value === undefined
          ? `"${textField}" is missing`
          : `"${textField}" is ${JSON.stringify(value)}, expected a string`,
      );
    }
    const label = r[labelField];
    if (!(typeof label === 'string' && label !== '') && !Number.isInteger(label)) {
      fail(
        label === undefined
          ? `"${labelField}" is missing`
          : `"${labelField}" is ${JSON.stringify(label)}, expected a non-empty string or an integer`,
      );
    }
    texts.push(value as string);
    labels.push(String(label));
  }
  if (texts.length === 0) throw new Error(`${file}: no records (the file is empty)`);
  return { kind: 'text', source: file, n: texts.length, texts, labels };
}
