// A strict reader for image CSVs in the common `label,pixel0,…,pixelP−1` layout (MNIST family).
import type { ImageRows } from './labelledRows';

const COMMA = 0x2c;
const NEWLINE = 0x0a;
const RETURN = 0x0d;
const QUOTE = 0x22;
const ZERO = 0x30;
const NINE = 0x39;

export interface PixelCsvOptions {
  /** [H, W, C] of one image. Default: a square grey image (√P side), else a square RGB one. */
  imageShape?: [number, number, number];
}

/** A parser fed chunk by chunk (a file stream), so a 100 MB CSV never becomes one string. */
export interface PixelCsvParser {
  /** Parses the bytes of the next chunk; throws on the first malformed row. */
  push(chunk: Uint8Array): void;
  /** Ends the input and returns the rows. */
  finish(): ImageRows;
  /** Rows parsed so far. */
  readonly rows: number;
}

/** Whether every pixel field of a first line is an integer (so it is data, not a header). */
function isDataLine(fields: string[]): boolean {
  return fields.length > 1 && fields.slice(1).every((f) => /^\d+$/.test(f.trim()));
}

function stripQuotes(field: string): string {
  const t = field.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
}

/** [H, W, C] for P pixels: the option, or the square grey or RGB image P holds. */
function imageShapeFor(pixels: number, option: PixelCsvOptions['imageShape'], file: string) {
  if (option) {
    if (option[0] * option[1] * option[2] !== pixels) {
      throw new Error(
        `${file}: ${pixels} pixel values per row, but the image shape [${option.join(', ')}] holds ${option[0] * option[1] * option[2]}`,
      );
    }
    return option;
  }
  for (const c of [1, 3]) {
    const side = Math.round(Math.sqrt(pixels / c));
    if (side * side * c === pixels) return [side, side, c] as [number, number, number];
  }
  throw new Error(
    `${file}: ${pixels} pixel values per row is not a square grey or RGB image; give the image shape`,
  );
}

/**
 * A streaming parser for `label,pixel0,…` CSV (comma separated, LF or CRLF lines). The first
 * line is a header when any of its pixel fields is not an integer. Labels are any unquoted or
 * double-quoted text; pixels are integers 0–255; every row has the same number of pixels.
 * Errors name the line (1-based, header included), the column (1-based, label = 1) and what
 * was expected, e.g. `row 14 of train.csv: 783 pixel values, expected 784`.
 */
export function createPixelCsvParser(file: string, options: PixelCsvOptions = {}): PixelCsvParser {
  let firstLine: number[] | null = []; // bytes of line 1 until it is complete
  let header: string[] | null = null;
  let width = 0; // pixels per row
  let line = 1;
  let x = new Uint8Array(0);
  let n = 0;
  const labels: string[] = [];
  // Row state.
  let column = 0; // 0 = label
  let label: number[] = [];
  let value = -1; // current pixel, −1 while empty
  let pendingReturn = false;
  let spaceAfterDigits = false;
  let rowPixels = 0;
  let blankLine = 0; // line number of a blank line not yet followed by data (0: none)
  const decoder = new TextDecoder('utf-8', { fatal: true });

  const where = () => `row ${line} of ${file}`;
  const columnName = () => {
    const name = header?.[column];
    return `column ${column + 1}${name ? ` (${name.trim()})` : ''}`;
  };
  const fail = (detail: string): never => {
    throw new Error(`${where()}: ${detail}`);
  };

  function grow(): void {
    const bigger = new Uint8Array(Math.max(width * 1024, x.length * 2));
    bigger.set(x);
    x = bigger;
  }

  function endField(): void {
    if (column === 0) {
      let text = '';
      try {
        text = stripQuotes(decoder.decode(Uint8Array.from(label)));
      } catch {
        fail('the label (column 1) is not valid UTF-8');
      }
      if (text === '') fail('the label (column 1) is empty');
      labels.push(text);
      label = [];
    } else {
      if (value < 0) fail(`${columnName()} is empty, expected a pixel value 0–255`);
      if (rowPixels < width) x[n * width + rowPixels] = value;
      rowPixels++;
      value = -1;
      spaceAfterDigits = false;
    }
    column++;
  }

  function endRow(): void {
    if (column === 0 && label.length === 0) {
      // Blank lines are allowed at the end of the file only.
      if (blankLine === 0) blankLine = line;
      line++;
      return;
    }
    endField();
    if (rowPixels !== width) fail(`${rowPixels} pixel values, expected ${width}`);
    n++;
    line++;
    column = 0;
    rowPixels = 0;
  }

  function dataByte(b: number): void {
    if (pendingReturn && b !== NEWLINE) fail('a carriage return inside a line');
    if (blankLine > 0 && b !== NEWLINE && b !== RETURN) {
      line = blankLine;
      fail('empty line, expected a label and pixel values');
    }
    if (b === NEWLINE) {
      pendingReturn = false;
      endRow();
    } else if (b === RETURN) pendingReturn = true;
    else if (b === COMMA) endField();
    else if (column === 0) label.push(b);
    else if (b >= ZERO && b <= NINE) {
      if (spaceAfterDigits) fail(`${columnName()}: a space inside a pixel value`);
      if (n * width + width > x.length) grow();
      value = (value < 0 ? 0 : value * 10) + (b - ZERO);
      if (value > 255) fail(`${columnName()}: a pixel value above 255, expected 0–255`);
    } else if (b === 0x20 || b === 0x09) {
      spaceAfterDigits = value >= 0; // spaces around a number are allowed, inside it they are not
    } else {
      const char = b === QUOTE ? '"' : String.fromCharCode(b);
      fail(
        `${columnName()}: unexpected ${JSON.stringify(char)}, expected an integer pixel value 0–255`,
      );
    }
  }

  /** Line 1 decides header or data, and the number of pixels per row. */
  function startWith(lineBytes: number[]): void {
    const text = new TextDecoder().decode(Uint8Array.from(lineBytes)).replace(/\r$/, '');
    const fields = text.split(',');
    if (fields.length < 2) fail(`${fields.length} column, expected a label and pixel values`);
    width = fields.length - 1;
    x = new Uint8Array(width * 1024);
    if (isDataLine(fields)) {
      for (const b of lineBytes) dataByte(b);
      dataByte(NEWLINE);
    } else {
      header = fields;
      line++;
    }
  }

  function push(chunk: Uint8Array): void {
    let i = 0;
    if (firstLine) {
      const end = chunk.indexOf(NEWLINE);
      if (end < 0) {
        for (const b of chunk) firstLine.push(b);
        return;
      }
      for (const b of chunk.subarray(0, end)) firstLine.push(b);
      const bytes = firstLine;
      firstLine = null;
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes.splice(0, 3); // UTF-8 BOM
      startWith(bytes);
      i = end + 1;
    }
    for (; i < chunk.length; i++) dataByte(chunk[i]);
  }

  return {
    push,
    get rows() {
      return n;
    },
    finish() {
      if (firstLine) {
        if (firstLine.length === 0) throw new Error(`${file}: the file is empty`);
        push(new Uint8Array([NEWLINE]));
      } else if (column > 0 || label.length > 0 || value >= 0) {
        dataByte(NEWLINE); // a last line without a newline
      }
      if (n === 0) throw new Error(`${file}: no data rows after the header`);
      const inputShape = imageShapeFor(width, options.imageShape, file);
      return { kind: 'image', source: file, n, inputShape, x: x.slice(0, n * width), labels };
    },
  };
}

/** Parses a whole `label,pixel0,…` CSV held in memory (see {@link createPixelCsvParser}). */
export function parsePixelCsv(
  bytes: Uint8Array,
  file: string,
  options?: PixelCsvOptions,
): ImageRows {
  const parser = createPixelCsvParser(file, options);
  parser.push(bytes);
  return parser.finish();
}
