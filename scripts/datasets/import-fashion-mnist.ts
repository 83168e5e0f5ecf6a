/**
 * One-off: converts Debian's Fashion-MNIST (package dataset-fashion-mnist, MIT, gzipped IDX) into
 * the committed form in public/datasets/fashion-mnist. Users have no apt, so its output is
 * committed; run it only to re-import. The commands:
 *
 *   cd /tmp && apt-get download dataset-fashion-mnist && dpkg-deb -x dataset-fashion-mnist_*.deb /tmp/fmnist
 *   npx tsx scripts/datasets/import-fashion-mnist.ts /tmp/fmnist/usr/share/datasets/fashion-mnist
 *   npx tsx scripts/datasets/build.ts fashion-mnist --update-manifest   # only if the data changed
 *
 * Pixels are stored without the IDX header as gzip (level 9: written once, read often), labels raw.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DEFAULT_DATASETS_ROOT } from './build';
import { gzip, writeFileAtomic } from './files';
import { readIdxSplit } from './mnist';

async function main(source: string): Promise<void> {
  const out = join(DEFAULT_DATASETS_ROOT, 'fashion-mnist');
  const files = {
    train: ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz'],
    test: ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'],
  } as const;
  for (const [split, [images, labels]] of Object.entries(files)) {
    const read = (f: string): Uint8Array => gunzipSync(readFileSync(join(source, f)));
    const { x, y } = readIdxSplit(read(images), read(labels), [
      join(source, images),
      join(source, labels),
    ]);
    await writeFileAtomic(join(out, `${split}-x.u8.gz`), gzip(x as Uint8Array, 9));
    await writeFileAtomic(join(out, `${split}-y.u8`), y);
    console.log(`${split}: ${y.length} images → ${join(out, `${split}-x.u8.gz`)}, ${split}-y.u8`);
  }
}

const source = process.argv[2];
if (!source) {
  console.error(
    'usage: npx tsx scripts/datasets/import-fashion-mnist.ts <folder with the Debian .gz IDX files>',
  );
  process.exit(1);
}
main(source).catch((e: unknown) => {
  console.error(`import-fashion-mnist: ${(e as Error).message}`);
  process.exit(1);
});
