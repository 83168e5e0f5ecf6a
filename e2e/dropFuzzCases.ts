// The files of the drop fuzz spec: seeded random bytes under every extension Strata reads, real
// files cut short or damaged, and plausible-looking containers with garbage inside.
import { readFileSync } from 'node:fs';
import { strToU8, zipSync } from 'fflate';

export interface DropCase {
  name: string;
  files: { path: string; bytes: Uint8Array }[];
}

/** mulberry32: the same files on every run. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function dropCases(): DropCase[] {
  const r = random(7);
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(r() * 256));
  const cut = (path: string, fraction: number) => {
    const b = readFileSync(path);
    return new Uint8Array(b.subarray(0, Math.floor(b.length * fraction)));
  };
  const out: DropCase[] = [];
  for (const ext of ['csv', 'tsv', 'jsonl', 'npz', 'npy', 'safetensors', 'zip', 'parquet', 'gz'])
    out.push({ name: `random .${ext}`, files: [{ path: `noise.${ext}`, bytes: bytes(3000) }] });
  out.push(
    {
      name: 'npz cut in half',
      files: [{ path: 'acts.npz', bytes: cut('src/engine/io/fixtures/acts.npz', 0.5) }],
    },
    {
      name: 'npy cut short',
      files: [{ path: 'f.npy', bytes: cut('src/engine/io/fixtures/float32.npy', 0.7) }],
    },
    {
      name: 'npy whose header claims 10^18 floats',
      files: [
        {
          path: 'huge.npy',
          bytes: (() => {
            const header =
              "{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000, 1000000000), }";
            const pad = 64 - ((10 + header.length + 1) % 64);
            const text = `${header}${' '.repeat(pad)}\n`;
            const b = new Uint8Array(10 + text.length + 16);
            b.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, text.length & 255, text.length >> 8]);
            b.set(strToU8(text), 10);
            return b;
          })(),
        },
      ],
    },
    {
      name: 'checkpoint with its weights cut at a third',
      files: [
        {
          path: 'vit/config.json',
          bytes: readFileSync('src/engine/import/fixtures/vit-a/config.json'),
        },
        {
          path: 'vit/model.safetensors',
          bytes: cut('src/engine/import/fixtures/vit-a/model.safetensors', 0.33),
        },
      ],
    },
    {
      name: 'checkpoint whose config is random bytes',
      files: [
        { path: 'vit/config.json', bytes: bytes(500) },
        {
          path: 'vit/model.safetensors',
          bytes: readFileSync('src/engine/import/fixtures/vit-a/model.safetensors'),
        },
      ],
    },
    {
      name: 'checkpoint whose config is a JSON array',
      files: [
        { path: 'vit/config.json', bytes: strToU8('[1, 2, 3]') },
        {
          path: 'vit/model.safetensors',
          bytes: readFileSync('src/engine/import/fixtures/vit-a/model.safetensors'),
        },
      ],
    },
    {
      name: 'zip of class folders holding random bytes as PNGs',
      files: [
        {
          path: 'fake.zip',
          bytes: zipSync({
            a: { 'x.png': bytes(400), 'y.png': bytes(400) },
            b: { 'z.png': bytes(400) },
          }),
        },
      ],
    },
    {
      name: 'zip holding only a text file',
      files: [{ path: 'readme.zip', bytes: zipSync({ 'README.txt': strToU8('hello') }) }],
    },
    {
      name: 'CSV with a header only',
      files: [{ path: 'header.csv', bytes: strToU8('label,pixel0,pixel1\n') }],
    },
    {
      name: 'CSV with one row of 20,000 columns',
      files: [
        {
          path: 'wide.csv',
          bytes: strToU8(
            `${Array.from({ length: 20000 }, (_, i) => `c${i}`).join(',')}\n${'1,'.repeat(19999)}1\n`,
          ),
        },
      ],
    },
    {
      name: 'JSONL with wrong field types',
      files: [
        {
          path: 'types.jsonl',
          bytes: strToU8('{"text": 5, "label": null}\n{"text": ["a"], "label": {}}\n'),
        },
      ],
    },
    {
      name: 'JSONL that is one JSON array',
      files: [
        {
          path: 'array.jsonl',
          bytes: strToU8('[{"text":"a","label":"x"},{"text":"b","label":"y"}]'),
        },
      ],
    },
    {
      name: 'TSV with no text column',
      files: [{ path: 'cols.tsv', bytes: strToU8('a\tb\n1\t2\n3\t4\n') }],
    },
    {
      name: 'gzip of random bytes as IDX images',
      files: [{ path: 'train-images-idx3-ubyte.gz', bytes: bytes(2000) }],
    },
    {
      name: 'IDX labels without their images',
      files: [
        { path: 't10k-labels-idx1-ubyte', bytes: cut('public/datasets/mnist/test-y.u8', 0.01) },
      ],
    },
    {
      name: 'an empty .safetensors',
      files: [{ path: 'empty.safetensors', bytes: new Uint8Array(0) }],
    },
    {
      name: 'safetensors whose header length is past the end',
      files: [
        {
          path: 'far.safetensors',
          bytes: Uint8Array.from([255, 255, 255, 0, 0, 0, 0, 0, 123, 125]),
        },
      ],
    },
    {
      name: 'a session zip of random bytes',
      files: [{ path: 'old.strata.zip', bytes: bytes(1000) }],
    },
    {
      name: 'a lone config.json',
      files: [{ path: 'config.json', bytes: strToU8('{"model_type": "vit"}') }],
    },
    {
      name: 'a zip of class folders holding a 30000×30000 PNG',
      files: [
        {
          path: 'huge.zip',
          bytes: zipSync({ a: { 'x.png': pngHeader(30000, 30000) }, b: { 'y.png': bytes(50) } }),
        },
      ],
    },
    {
      name: 'TSV mixing CRLF and LF line endings (it parses)',
      files: [
        {
          path: 'mixed.tsv',
          bytes: strToU8(
            'text\tlabel\r\n' +
              Array.from({ length: 12 }, (_, i) => `row ${i}\t${i % 2 ? 'pos' : 'neg'}`).join(
                '\n',
              ) +
              '\r\n',
          ),
        },
      ],
    },
    {
      name: 'safetensors naming a tensor twice',
      files: [
        {
          path: 'twice.safetensors',
          bytes: (() => {
            const entry = '{"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]}';
            const json = strToU8(`{"layer_0": ${entry}, "layer_0": ${entry}}`);
            const b = new Uint8Array(8 + json.length + 16);
            b[0] = json.length;
            b.set(json, 8);
            return b;
          })(),
        },
      ],
    },
    {
      name: 'checkpoint whose config has no hidden_size',
      files: [
        {
          path: 'vit/config.json',
          bytes: strToU8(
            readFileSync('src/engine/import/fixtures/vit-a/config.json', 'utf8').replace(
              /"hidden_size":\s*\d+,?/,
              '',
            ),
          ),
        },
        {
          path: 'vit/model.safetensors',
          bytes: readFileSync('src/engine/import/fixtures/vit-a/model.safetensors'),
        },
      ],
    },
  );
  // Real files with a few bytes of their header damaged (seeded), as a disk or a download does.
  const damaged: [string, string, number][] = [
    ['src/engine/io/fixtures/acts.npz', 'acts.npz', 120],
    ['src/engine/io/fixtures/acts_compressed.npz', 'acts_compressed.npz', 120],
    ['src/engine/io/fixtures/fortran.npy', 'fortran.npy', 128],
    ['src/engine/io/fixtures/acts_3d.npy', 'acts_3d.npy', 128],
    ['src/engine/io/fixtures/model.safetensors', 'model.safetensors', 200],
    ['e2e/fixtures/reviews.parquet', 'reviews.parquet', 600],
  ];
  for (const [source, name, head] of damaged) {
    for (let k = 0; k < 2; k++) {
      const b = new Uint8Array(readFileSync(source));
      for (let j = 0; j < 3; j++)
        b[Math.floor(r() * Math.min(head, b.length))] = Math.floor(r() * 256);
      out.push({
        name: `${name} damaged (${k + 1})`,
        files: [{ path: `dmg${k}-${name}`, bytes: b }],
      });
    }
  }
  return out;
}

/** The first 33 bytes of a PNG of `w`×`h` (signature and IHDR): enough to state its size. */
function pngHeader(w: number, h: number): Uint8Array {
  const b = new Uint8Array(33);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const view = new DataView(b.buffer);
  view.setUint32(16, w);
  view.setUint32(20, h);
  b.set([8, 2, 0, 0, 0], 24);
  return b;
}
