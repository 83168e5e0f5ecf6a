/**
 * The header of a .npy file: a Python dict literal such as
 * `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }` (numpy's `lib/format.py`).
 * Parsed with a small literal reader, never evaluated.
 */
export interface NpyHeader {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
}

type PyValue = string | boolean | null | number | PyValue[] | Map<string, PyValue>;

/** Reads one Python literal: dict, tuple or list, string, int, True/False/None. */
class LiteralReader {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly fail: (detail: string) => Error,
  ) {}

  readDocument(): PyValue {
    const value = this.readValue();
    this.skipSpace();
    if (this.pos < this.text.length) throw this.unexpected('the end of the header');
    return value;
  }

  private unexpected(expected: string): Error {
    const found =
      this.pos < this.text.length
        ? JSON.stringify(this.text.slice(this.pos, this.pos + 12))
        : 'the end';
    return this.fail(
      `header is not a Python dict literal: found ${found} at character ${this.pos}, expected ${expected}`,
    );
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  private readValue(): PyValue {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === '{') return this.readDict();
    if (c === '(') return this.readSequence(')');
    if (c === '[') return this.readSequence(']');
    if (c === "'" || c === '"') return this.readString();
    const word = /^(True|False|None|[+-]?\d+L?)/.exec(this.text.slice(this.pos, this.pos + 40));
    if (!word) throw this.unexpected('a value');
    this.pos += word[0].length;
    if (word[0] === 'True') return true;
    if (word[0] === 'False') return false;
    if (word[0] === 'None') return null;
    const n = Number(word[0].replace(/L$/, '')); // Python 2 wrote long ints as `3L`
    if (!Number.isSafeInteger(n)) throw this.fail(`header integer ${word[0]} is too large`);
    return n;
  }

  private readString(): string {
    const quote = this.text[this.pos++];
    let out = '';
    while (this.pos < this.text.length && this.text[this.pos] !== quote) {
      if (this.text[this.pos] === '\\') this.pos++;
      out += this.text[this.pos++] ?? '';
    }
    if (this.pos >= this.text.length) throw this.unexpected(`a closing ${quote}`);
    this.pos++;
    return out;
  }

  /** Items separated by commas, a trailing comma allowed, up to `close`. */
  private readItems(close: string, readItem: () => void): void {
    this.pos++;
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === close) break;
      readItem();
      this.skipSpace();
      if (this.text[this.pos] === ',') this.pos++;
      else if (this.text[this.pos] !== close) throw this.unexpected(`"," or "${close}"`);
    }
    this.pos++;
  }

  private readSequence(close: string): PyValue[] {
    const items: PyValue[] = [];
    this.readItems(close, () => items.push(this.readValue()));
    return items;
  }

  private readDict(): Map<string, PyValue> {
    const dict = new Map<string, PyValue>();
    this.readItems('}', () => {
      const key = this.readValue();
      if (typeof key !== 'string')
        throw this.fail(`header dict key ${JSON.stringify(key)} is not a string`);
      this.skipSpace();
      if (this.text[this.pos] !== ':') throw this.unexpected('":"');
      this.pos++;
      dict.set(key, this.readValue());
    });
    return dict;
  }
}

/**
 * Parses and checks a .npy header: exactly the keys descr, fortran_order, shape (as numpy's own
 * reader requires), a string descr, a bool fortran_order, a shape of non-negative integers.
 */
export function parseNpyHeader(text: string, fail: (detail: string) => Error): NpyHeader {
  const dict = new LiteralReader(text, fail).readDocument();
  if (!(dict instanceof Map))
    throw fail(`header is not a dict: ${JSON.stringify(text.trim().slice(0, 60))}`);
  const keys = [...dict.keys()].sort();
  if (keys.join() !== 'descr,fortran_order,shape') {
    throw fail(
      `header keys are ${keys.join(', ') || 'none'}, expected descr, fortran_order, shape`,
    );
  }
  const descr = dict.get('descr');
  const fortranOrder = dict.get('fortran_order');
  const shape = dict.get('shape');
  if (typeof descr !== 'string') {
    throw fail(
      `header descr ${JSON.stringify(descr)} is a structured dtype, which is not supported`,
    );
  }
  if (typeof fortranOrder !== 'boolean') throw fail(`header fortran_order must be True or False`);
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && d >= 0)) {
    throw fail(`header shape ${JSON.stringify(shape)} must be a tuple of non-negative integers`);
  }
  return { descr, fortranOrder, shape: shape as number[] };
}

/**
 * The header text numpy itself writes for this array (C order), up to but excluding the padding:
 * keys sorted, `repr` of the shape tuple, then spare spaces so the first axis can grow in place.
 */
export function formatNpyHeader(descr: string, shape: readonly number[]): string {
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${tuple}, }`;
  // numpy's GROWTH_AXIS_MAX_DIGITS = 21 (len(str(8 * 2**64 - 1))).
  return shape.length > 0 ? header + ' '.repeat(Math.max(0, 21 - String(shape[0]).length)) : header;
}
