import { gzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { forgeAllSizes } from '../io/zipTesting';
import type { ImageDecoder } from './imageFolder';
import {
  isPixelCsv,
  readDatasetRows,
  type DatasetFile,
  type ReadRowsOptions,
} from './readDatasetRows';
import { createTextCsvParser } from './textCsv';
import { createTextJsonlParser } from './textJsonl';

const enc = (text: string) => new TextEncoder().encode(text);
const file = (path: string, data: string | Uint8Array): DatasetFile => ({
  path,
  file: new Blob([typeof data === 'string' ? enc(data) : (data as BlobPart)]),
});
const read = (o: Partial<ReadRowsOptions> & Pick<ReadRowsOptions, 'format' | 'files'>) =>
  readDatasetRows(o);

/** A fake decoder: the image's first byte is its grey level; "BAD" bytes fail. */
const fakeDecode: ImageDecoder = async (bytes, _name, [h, w, c]) => {
  if (bytes[0] === 66) throw new Error('corrupt image data');
  return { pixels: new Uint8Array(h * w * c).fill(bytes[0]), width: 5, height: 5, colour: false };
};

describe('text CSV', () => {
  it('finds the text and label columns by name, across chunk boundaries and quoted newlines', () => {
    const p = createTextCsvParser('r.csv');
    const text = 'id,Review,label\n1,"good, ""very""\nfilm",pos\n2,bad,neg\n';
    for (let i = 0; i < text.length; i += 5) p.push(enc(text.slice(i, i + 5)));
    const rows = p.finish();
    expect(rows.texts).toEqual(['good, "very"\nfilm', 'bad']);
    expect(rows.labels).toEqual(['pos', 'neg']);
    expect(rows.columns).toMatchObject({ text: 'Review', label: 'label', guessed: false });
  });

  it('guesses columns when no header name matches, and takes the user pick', () => {
    const p = createTextCsvParser('r.tsv');
    p.push(enc('words\tstars\nok\t1\nmeh\t2\n'));
    expect(p.finish().columns).toMatchObject({ text: 'words', label: 'stars', guessed: true });
    expect(() =>
      createTextCsvParser('r.csv', { textColumn: 'body' }).push(enc('a,b\nx,y\n')),
    ).toThrow('r.csv: no column named "body" for the text; the header has "a", "b"');
  });

  it('names the row of a ragged row, an empty label and bad UTF-8', () => {
    const ragged = createTextCsvParser('r.csv');
    expect(() => ragged.push(enc('text,label\na,1\nb,2,3\n'))).toThrow(
      'row 3 of r.csv: 3 fields, expected 2 (as in the header)',
    );
    const empty = createTextCsvParser('r.csv');
    expect(() => empty.push(enc('text,label\na,\n'))).toThrow(
      'row 2 of r.csv: column "label" (the label) is empty',
    );
    const bad = createTextCsvParser('r.csv');
    expect(() =>
      bad.push(Uint8Array.from([...enc('text,label\nok,1\nb'), 0xff, ...enc(',2\n')])),
    ).toThrow(/row 3 of r\.csv: not valid UTF-8/);
  });
  it('reads a TSV that mixes CRLF and LF line endings, in one chunk or byte by byte', () => {
    const text = 'text\tlabel\r\na\t1\nb\t2\r\n"c\r\nd"\t3\ne\t4\n';
    const whole = createTextCsvParser('mixed.tsv');
    whole.push(enc(text));
    const rows = whole.finish();
    expect(rows.texts).toEqual(['a', 'b', 'c\nd', 'e']);
    expect(rows.labels).toEqual(['1', '2', '3', '4']);
    const bytewise = createTextCsvParser('mixed.tsv');
    for (const b of enc(text)) bytewise.push(Uint8Array.of(b));
    expect(bytewise.finish().labels).toEqual(['1', '2', '3', '4']);
  });
});

describe('JSONL streaming', () => {
  it('reads lines split across chunks and names the line of bad UTF-8', () => {
    const p = createTextJsonlParser('t.jsonl');
    const text = '{"text":"a","label":1}\n{"text":"bé","label":0}\n';
    const bytes = enc(text);
    for (let i = 0; i < bytes.length; i += 7) p.push(bytes.subarray(i, i + 7));
    expect(p.finish().texts).toEqual(['a', 'bé']);
    const bad = createTextJsonlParser('t.jsonl');
    expect(() =>
      bad.push(
        Uint8Array.from([...enc('{"text":"a","label":1}\n{"text":"'), 0xc3, 0x28, ...enc('"}\n')]),
      ),
    ).toThrow('line 2 of t.jsonl: not valid UTF-8');
  });
});

describe('readDatasetRows', () => {
  it('tells pixel CSV from text CSV by the first line', async () => {
    expect(await isPixelCsv(new Blob(['label,pixel0,pixel1\n1,0,3\n']))).toBe(true);
    expect(await isPixelCsv(new Blob(['7,0,3,255\n']))).toBe(true);
    expect(await isPixelCsv(new Blob(['text,label\nhi,1\n']))).toBe(false);
    const rows = await read({
      format: 'csv',
      files: [file('p.csv', 'label,pixel0,pixel1,pixel2,pixel3\n1,0,1,2,3\n2,4,5,6,7\n')],
    });
    expect(rows.rows).toMatchObject({ kind: 'image', n: 2, inputShape: [2, 2, 1] });
  });

  it('reports an empty file, NaN and out-of-range pixels with the row and column', async () => {
    await expect(read({ format: 'csv', files: [file('e.csv', '')] })).rejects.toThrow(
      'e.csv: the file is empty (0 bytes)',
    );
    await expect(
      read({ format: 'csv', files: [file('n.csv', 'label,p0,p1\n1,0,NaN\n')] }),
    ).rejects.toThrow(
      'row 2 of n.csv: column 3 (p1): unexpected "N", expected an integer pixel value 0–255',
    );
    await expect(
      read({ format: 'csv', files: [file('o.csv', 'label,p0,p1\n1,0,256\n')] }),
    ).rejects.toThrow('row 2 of o.csv: column 3 (p1): a pixel value above 255, expected 0–255');
  });

  it('reads class folders from a zip, skipping OS junk, and notes the resizing', async () => {
    const zip = zipSync({
      'digits/0/a.png': enc('\u0001'),
      'digits/0/b.png': enc('\u0002'),
      'digits/1/c.png': enc('\u0003'),
      '__MACOSX/digits/._a.png': enc('x'),
    });
    const { rows, notes } = await read({
      format: 'zip',
      files: [file('digits.zip', zip)],
      decodeImage: fakeDecode,
      imageShape: [2, 2, 1],
    });
    expect(rows).toMatchObject({ kind: 'image', n: 3, labels: ['0', '0', '1'] });
    expect(Array.from(rows.kind === 'image' ? rows.x : [])).toEqual([
      1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3,
    ]);
    expect(notes[0]).toMatch(/3 of 3 images \(sizes 5×5\) are resized to 2×2/);
  });

  it('names stray files, missing class folders and corrupt images', async () => {
    const opts = { decodeImage: fakeDecode, imageShape: [2, 2, 1] as [number, number, number] };
    const stray = zipSync({
      'd/0/a.png': enc('\u0001'),
      'd/1/b.png': enc('\u0001'),
      'd/notes.txt': enc('hi'),
    });
    await expect(read({ format: 'zip', files: [file('s.zip', stray)], ...opts })).rejects.toThrow(
      's.zip: d/notes.txt is not an image (stray file)',
    );
    const flat = zipSync({ 'a.png': enc('\u0001'), 'b.png': enc('\u0001') });
    await expect(read({ format: 'zip', files: [file('f.zip', flat)], ...opts })).rejects.toThrow(
      'f.zip: a.png is not inside a class folder',
    );
    await expect(
      read({
        format: 'images',
        files: [file('d/0/a.png', '\u0001'), file('d/1/b.png', 'BAD')],
        ...opts,
      }),
    ).rejects.toThrow(
      'd/1/b.png could not be decoded (corrupt image data); expected a PNG, JPEG or WebP image',
    );
    await expect(
      read({ format: 'zip', files: [file('bad.zip', 'PK not a zip')], ...opts }),
    ).rejects.toThrow(/bad\.zip: not a zip archive/);
  });

  it('refuses an image zip whose entries claim more than the page holds, before inflating', async () => {
    const png = new Uint8Array(2000).fill(1);
    const bomb = forgeAllSizes(zipSync({ 'd/0/a.png': png, 'd/1/b.png': png }), 2, 600 * 1024 ** 2);
    await expect(
      read({ format: 'zip', files: [file('bomb.zip', bomb)], decodeImage: fakeDecode }),
    ).rejects.toThrow(
      'bomb.zip: its 2 entries claim 1.17 GB (1258291200 bytes) uncompressed in total, over the limit of 1.00 GB',
    );
  });

  it('pairs IDX files by their headers and reports truncation and count mismatches', async () => {
    const idx = (dims: number[], data: number[]) => {
      const out = new Uint8Array(4 + 4 * dims.length + data.length);
      const view = new DataView(out.buffer);
      out.set([0, 0, 8, dims.length]);
      dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
      out.set(data, 4 + 4 * dims.length);
      return out;
    };
    const images = idx([2, 1, 2], [1, 2, 3, 4]);
    const { rows } = await read({
      format: 'idx',
      files: [file('l', idx([2], [0, 1])), file('i', images)],
    });
    expect(rows).toMatchObject({ n: 2, inputShape: [1, 2, 1], labels: ['0', '1'] });
    const gz = await read({
      format: 'idx',
      files: [file('i.gz', gzipSync(images)), file('l.gz', gzipSync(idx([2], [1, 0])))],
    });
    expect(gz.rows).toMatchObject({ n: 2, labels: ['1', '0'] });
    await expect(
      read({
        format: 'idx',
        files: [file('i.gz', gzipSync(images).subarray(0, 12)), file('l', idx([2], [0, 1]))],
      }),
    ).rejects.toThrow(/^i\.gz: could not decompress .*: truncated or damaged/);
    await expect(
      read({ format: 'idx', files: [file('l', idx([3], [0, 1, 1])), file('i', images)] }),
    ).rejects.toThrow('l: 3 labels, but i holds 2 images');
    await expect(
      read({
        format: 'idx',
        files: [file('l', idx([2], [0, 1])), file('i', images.subarray(0, 14))],
      }),
    ).rejects.toThrow(/^i: /);
    await expect(
      read({
        format: 'idx',
        files: [file('l', idx([2], [0, 1])), file('i', Uint8Array.from([8, 3, 0, 0, 1]))],
      }),
    ).rejects.toThrow('i: not an IDX file');
  });

  it('enforces the size and row limits with messages that name them', async () => {
    const big = { path: 'huge.csv', file: { size: 600 * 1024 * 1024 } as Blob };
    await expect(read({ format: 'csv', files: [big] })).rejects.toThrow(
      'huge.csv: 600 MB, expected at most 512 MB per dataset',
    );
    const rows = 'label,pixel0\n' + '1,0\n'.repeat(100_001);
    await expect(read({ format: 'csv', files: [file('many.csv', rows)] })).rejects.toThrow(
      'many.csv: more than 100,000 rows, expected at most 100,000 per dataset',
    );
  });
});

describe('cancelling a dataset read', () => {
  it('stops a streamed CSV and a zip read between chunks with a ReadCancelledError', async () => {
    // 50 parts, so the reader pulls many chunks.
    const part = enc('a fine film,pos\n'.repeat(1000));
    const csv = new Blob([enc('text,label\n'), ...Array.from({ length: 50 }, () => part)]);
    const stored = zipSync({ 'd/0/a.png': new Uint8Array(await csv.arrayBuffer()) }, { level: 0 });
    const zip = new Blob(
      Array.from({ length: 50 }, (_, i) => stored.subarray(i * 20_000, (i + 1) * 20_000)).concat(
        stored.subarray(1_000_000),
      ),
    );
    for (const [format, f] of [
      ['csv', { path: 'big.csv', file: csv }],
      ['zip', { path: 'big.zip', file: zip }],
    ] as const) {
      const controller = new AbortController();
      let chunks = 0;
      const original = f.file.stream.bind(f.file);
      // Count the chunks the reader pulls, and cancel after the second.
      f.file.stream = () =>
        original().pipeThrough(
          new TransformStream<Uint8Array<ArrayBuffer>, Uint8Array<ArrayBuffer>>({
            transform(chunk, out) {
              if (++chunks === 2) controller.abort();
              out.enqueue(chunk);
            },
          }),
        );
      await expect(
        read({ format, files: [f], decodeImage: fakeDecode, signal: controller.signal }),
      ).rejects.toThrow(`${f.path}: reading cancelled`);
      expect(chunks).toBeLessThan(5);
    }
  });
});
