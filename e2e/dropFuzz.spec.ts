// Files nobody wrote a message for: seeded random bytes under every extension Strata reads, real
// files cut short, and plausible-looking containers with garbage inside. Each must end in a message
// in the alert region (or, if it happens to parse, a preview that can be cancelled); the page keeps
// its pictures and no error escapes.
import { expect, test } from '@playwright/test';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { openExplorer } from './explorerPage';
import { countUncaught, idle, pageState, settled, uncaught } from './importPage';
import { watchErrors } from './pageErrors';

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

function cases(): { name: string; files: { path: string; bytes: Uint8Array }[] }[] {
  const r = random(7);
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(r() * 256));
  const cut = (path: string, fraction: number) => {
    const b = readFileSync(path);
    return new Uint8Array(b.subarray(0, Math.floor(b.length * fraction)));
  };
  const out: { name: string; files: { path: string; bytes: Uint8Array }[] }[] = [];
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
  );
  return out;
}

test('files nobody wrote a message for are refused clearly; the page keeps its pictures', async ({
  page,
}, info) => {
  test.setTimeout(600_000);
  const errors = watchErrors(page);
  await countUncaught(page);
  await openExplorer(page);
  await settled(page);
  const before = await pageState(page);
  const alerts = page.getByRole('alert').locator('p');
  const report: string[] = [];
  for (const c of cases()) {
    await test.step(c.name, async () => {
      const dir = info.outputPath(c.name.replace(/[^a-z0-9]+/gi, '-'));
      const paths = c.files.map((f) => {
        const path = join(dir, f.path);
        mkdirSync(join(path, '..'), { recursive: true });
        writeFileSync(path, f.bytes);
        return path;
      });
      await idle(page);
      const count = await alerts.count();
      await page.getByLabel('Open files').setInputFiles(paths);
      const cancel = page.getByRole('button', { name: 'Cancel' });
      await expect
        .poll(async () => (await alerts.count()) !== count || (await cancel.count()) > 0, {
          message: `${c.name}: no message and no preview`,
          timeout: 60_000,
        })
        .toBe(true);
      if ((await cancel.count()) > 0) {
        report.push(`${c.name}: parsed, previewed, cancelled`);
        await cancel.first().click();
      } else {
        const text = (await alerts.last().innerText()).trim();
        report.push(`${c.name}: ${text.slice(0, 160)}`);
        expect(text.length, c.name).toBeGreaterThan(20);
      }
      await idle(page);
      for (const b of await page
        .getByRole('alert')
        .getByRole('button', { name: /^Dismiss/ })
        .all())
        await b.click();
      expect(await uncaught(page), c.name).toEqual([]);
    });
  }
  console.log(report.join('\n'));
  expect(await pageState(page)).toEqual(before);
  expect(errors).toEqual([]);
});
