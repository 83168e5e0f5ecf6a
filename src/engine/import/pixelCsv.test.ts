import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { createPixelCsvParser, parsePixelCsv } from './pixelCsv';

const bytes = (text: string) => new TextEncoder().encode(text);

/** A CSV of `n` random images of `p` pixels, and the pixels and labels it holds. */
function randomCsv(n: number, p: number, { header = true, eol = '\n' } = {}) {
  const rng = seedrandom('pixel-csv');
  const pixels = Uint8Array.from({ length: n * p }, () => Math.floor(rng() * 256));
  const labels = Array.from({ length: n }, () => String(Math.floor(rng() * 10)));
  const lines = labels.map((l, i) => [l, ...pixels.subarray(i * p, (i + 1) * p)].join(','));
  const head = header
    ? ['label', ...Array.from({ length: p }, (_, j) => `pixel${j}`)].join(',')
    : null;
  const text = [...(head ? [head] : []), ...lines].join(eol) + eol;
  return { text, pixels, labels };
}

describe('parsePixelCsv', () => {
  it('reads every pixel and label of a CSV with a header (square grey images inferred)', () => {
    const { text, pixels, labels } = randomCsv(5, 16);
    const rows = parsePixelCsv(bytes(text), 'train.csv');
    expect(rows).toMatchObject({ kind: 'image', n: 5, inputShape: [4, 4, 1], labels });
    expect(rows.x).toEqual(pixels);
  });

  it('reads CRLF lines, no header, no final newline, a BOM, quoted labels, trailing blank lines', () => {
    const { text, pixels } = randomCsv(3, 12, { header: false, eol: '\r\n' });
    const rows = parsePixelCsv(bytes('\ufeff' + text.replace(/\r\n$/, '')), 'x.csv');
    expect(rows.inputShape).toEqual([2, 2, 3]);
    expect(rows.x).toEqual(pixels);
    const quoted = parsePixelCsv(
      bytes('label,a,b,c,d\n"cat",1, 2 ,3,4\ndog,0,0,0,255\n\n\n'),
      'q.csv',
    );
    expect(quoted.labels).toEqual(['cat', 'dog']);
    expect(Array.from(quoted.x)).toEqual([1, 2, 3, 4, 0, 0, 0, 255]);
  });

  it('gives the same rows fed in chunks of any size (a stream)', () => {
    const { text } = randomCsv(20, 9, { eol: '\r\n' });
    const all = bytes(text);
    const whole = parsePixelCsv(all, 'x.csv');
    for (const size of [1, 2, 7, 64]) {
      const parser = createPixelCsvParser('x.csv');
      for (let i = 0; i < all.length; i += size) parser.push(all.subarray(i, i + size));
      expect(parser.finish()).toEqual(whole);
    }
  });

  it('takes an explicit image shape', () => {
    const rows = parsePixelCsv(bytes('1,1,2,3,4,5,6\n'), 'x.csv', { imageShape: [1, 2, 3] });
    expect(rows.inputShape).toEqual([1, 2, 3]);
  });

  it.each([
    [
      'a short row',
      'label,p0,p1,p2,p3\n1,0,0,0,0\n2,0,0,0\n',
      'row 3 of t.csv: 3 pixel values, expected 4',
    ],
    [
      'a long row',
      'label,p0,p1,p2,p3\n1,0,0,0,0,9\n',
      'row 2 of t.csv: 5 pixel values, expected 4',
    ],
    [
      'a value above 255',
      'label,p0,p1,p2,p3\n1,0,256,0,0\n',
      'row 2 of t.csv: column 3 (p1): a pixel value above 255, expected 0–255',
    ],
    [
      'a letter',
      '1,0,0,0,0\n1,0,0,1a,0\n',
      'row 2 of t.csv: column 4: unexpected "a", expected an integer pixel value 0–255',
    ],
    ['a negative value', '1,0,0,0,0\n1,-3,0,0,0\n', 'row 2 of t.csv: column 2: unexpected "-"'],
    ['a decimal', '1,0,0,0,0\n1,0.5,0,0,0\n', 'row 2 of t.csv: column 2: unexpected "."'],
    [
      'an empty pixel',
      '1,0,0,0,0\n1,0,,0,0\n',
      'row 2 of t.csv: column 3 is empty, expected a pixel value 0–255',
    ],
    [
      'a space inside a value',
      '1,0,0,0,0\n1,0,1 2,0,0\n',
      'row 2 of t.csv: column 3: a space inside a pixel value',
    ],
    ['an empty label', '1,0,0,0,0\n,0,0,0,0\n', 'row 2 of t.csv: the label (column 1) is empty'],
    [
      'a blank line between rows',
      '1,0,0,0,0\n\n1,0,0,0,0\n',
      'row 2 of t.csv: empty line, expected a label and pixel values',
    ],
    [
      'a stray carriage return',
      '1,0,0,0,0\n1,0,0\r,0,0\n',
      'row 2 of t.csv: a carriage return inside a line',
    ],
    ['an empty file', '', 't.csv: the file is empty'],
    ['a header only', 'label,p0,p1\n', 't.csv: no data rows after the header'],
    [
      'a single column',
      'label\n1\n',
      'row 1 of t.csv: 1 column, expected a label and pixel values',
    ],
    [
      'a non-square image',
      '1,0,0,0,0,0\n',
      't.csv: 5 pixel values per row is not a square grey or RGB image; give the image shape',
    ],
  ])('%s', (_, text, message) => {
    expect(() => parsePixelCsv(bytes(text), 't.csv')).toThrow(message);
  });

  it('an image shape that does not match the row', () => {
    expect(() => parsePixelCsv(bytes('1,0,0,0,0\n'), 't.csv', { imageShape: [3, 3, 1] })).toThrow(
      't.csv: 4 pixel values per row, but the image shape [3, 3, 1] holds 9',
    );
  });
});
