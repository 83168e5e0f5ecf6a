import { describe, expect, it } from 'vitest';
import { readLmTexts } from './lmTexts';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('readLmTexts', () => {
  it('reads each non-blank line of a .txt, CRLF or not, spaces kept', () => {
    expect(readLmTexts(bytes('\uFEFFone\r\n\r\n  two  \nthree'), 'a.txt')).toEqual([
      'one',
      '  two  ',
      'three',
    ]);
  });

  it('reads a quoted multi-line .csv text column and a .tsv one', () => {
    const csv = 'id,Text\n1,"a, b"\n2,"line\nbreak"\n';
    expect(readLmTexts(bytes(csv), 'a.csv')).toEqual(['a, b', 'line\nbreak']);
    expect(readLmTexts(bytes('sentence\tx\nhi\t1\n'), 'a.tsv')).toEqual(['hi']);
  });

  it('names the file and what was expected', () => {
    expect(() => readLmTexts(bytes('id,body\n1,x\n'), 'a.csv')).toThrow(
      'a.csv: no text column, expected a header naming one of text, sentence, review, content (it has "id", "body")',
    );
    expect(() => readLmTexts(bytes('x'), 'a.parquet')).toThrow(
      'a.parquet: text format ".parquet" is not read, expected .txt, .jsonl, .csv, .tsv',
    );
    expect(() => readLmTexts(new Uint8Array([0xff, 0xfe, 0x41]), 'a.txt')).toThrow(
      'a.txt: not valid UTF-8',
    );
    expect(() => readLmTexts(bytes('\n \n'), 'a.txt')).toThrow('a.txt: no text in it');
    expect(() => readLmTexts(bytes('{"text": 3}\n'), 'a.jsonl')).toThrow(
      'line 1 of a.jsonl: "text" is missing or not a string',
    );
  });
});
