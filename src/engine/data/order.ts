import seedrandom from 'seedrandom';

/**
 * A seeded random permutation of 0..n-1: Durstenfeld's forward Fisher–Yates shuffle (position i
 * takes a uniform pick from positions i..n-1) driven by seedrandom's ARC4 generator seeded with
 * `String(seed)`. The same seed gives the same order on every platform, so training data order
 * and evaluation samples repeat.
 */
export function seededOrder(n: number, seed: number | string): Int32Array {
  return partialShuffle(n, n, seed, 'seededOrder');
}

/**
 * `count` distinct indices in [0, n), drawn uniformly without replacement, in draw order. Equal to
 * the first `count` entries of `seededOrder(n, seed)`, so a larger sample extends a smaller one.
 */
export function sampleIndices(n: number, count: number, seed: number | string): Int32Array {
  if (!Number.isInteger(count) || count < 0 || count > n) {
    throw new Error(`sampleIndices: count ${count}, expected an integer in [0, n = ${n}]`);
  }
  return partialShuffle(n, count, seed, 'sampleIndices');
}

function partialShuffle(
  n: number,
  count: number,
  seed: number | string,
  where: string,
): Int32Array {
  if (!Number.isInteger(n) || n < 0 || n > 2 ** 31 - 1) {
    throw new Error(`${where}: n ${n}, expected a non-negative integer below 2^31`);
  }
  const rng = seedrandom(String(seed));
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = 0; i < Math.min(count, n - 1); i++) {
    const j = i + Math.floor(rng() * (n - i));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return count === n ? order : order.slice(0, count);
}

/**
 * The rows of training step s: epoch e = ⌊s / (n / batchSize)⌋ walks `seededOrder(n, "seed:e")` a
 * batch at a time (the last partial batch dropped). A function of the step alone, so a resumed
 * run sees the same rows as one that never stopped.
 */
export function seededBatches(
  n: number,
  batchSize: number,
  seed: number | string,
): (step: number) => Int32Array {
  const batchesPerEpoch = Math.floor(n / batchSize);
  let order: Int32Array | null = null;
  let orderEpoch = -1;
  return (step) => {
    const epoch = Math.floor(step / batchesPerEpoch);
    if (epoch !== orderEpoch) {
      order = seededOrder(n, `${seed}:${epoch}`);
      orderEpoch = epoch;
    }
    const b = step % batchesPerEpoch;
    return order!.subarray(b * batchSize, (b + 1) * batchSize);
  };
}
