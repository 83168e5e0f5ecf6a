// JSON Lines of labelled text: one `{"text": "...", "label": ...}` object per line.
import type { TextRows } from './labelledRows';

const NEWLINE = 0x0a;

export interface TextJsonlOptions {
  /** Field holding the text (default `text`). */
  textField?: string;
  /** Field holding the label, a string or an integer (default `label`). */
  labelField?: string;
}

/** A JSONL parser fed chunk by chunk (a file stream); a line may span chunks. */
export interface TextJsonlParser {
  /** Parses the complete lines the chunk ends; throws on the first malformed one. */
  push(chunk: Uint8Array): void;
  finish(): TextRows;
  readonly rows: number;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * Parses JSONL line by line: each non-blank line must be valid UTF-8 and a JSON object with a
 * string text field and a string or integer label field; other fields are ignored. Errors name
 * the line (1-based) and what was expected, e.g. `line 3 of reviews.jsonl: "label" is missing`.
 */
export function createTextJsonlParser(
  file: string,
  options: TextJsonlOptions = {},
): TextJsonlParser {
  const textField = options.textField ?? 'text';
  const labelField = options.labelField ?? 'label';
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const texts: string[] = [];
  const labels: string[] = [];
  let carry = new Uint8Array(0); // an incomplete last line
  let line = 1;
  let first = true;

  function parseLine(bytes: Uint8Array): void {
    const at = line++;
    const fail = (detail: string): never => {
      throw new Error(`line ${at} of ${file}: ${detail}`);
    };
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      fail('not valid UTF-8');
    }
    if (text!.trim() === '') return;
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

  function push(chunk: Uint8Array): void {
    let bytes = carry.length ? concat(carry, chunk) : chunk;
    if (first && bytes.length >= 3) {
      first = false;
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3); // UTF-8 BOM
    }
    let start = 0;
    for (;;) {
      const end = bytes.indexOf(NEWLINE, start);
      if (end < 0) break;
      parseLine(bytes.subarray(start, end));
      start = end + 1;
    }
    carry = bytes.slice(start);
  }

  return {
    push,
    get rows() {
      return texts.length;
    },
    finish() {
      if (carry.length) {
        const last = carry;
        carry = new Uint8Array(0);
        parseLine(last);
      }
      if (texts.length === 0) throw new Error(`${file}: no records (the file is empty)`);
      return { kind: 'text', source: file, n: texts.length, texts, labels };
    },
  };
}

/** Parses a whole JSONL file held in memory (see {@link createTextJsonlParser}). */
export function parseTextJsonl(
  bytes: Uint8Array,
  file: string,
  options: TextJsonlOptions = {},
): TextRows {
  const parser = createTextJsonlParser(file, options);
  parser.push(bytes);
  return parser.finish();
}
