import { tf } from '../tf';
import type { Tensor, Tensor1D, Variable } from '../tf';

/**
 * Elements of one flat bucket: large enough that the default ViT (206k parameters) is a single
 * bucket, small enough that a bucket's temporaries stay a few MB for real-size models.
 */
export const BUCKET_ELEMENTS = 1 << 22;

/** Consecutive variables updated together as one flat vector (their moments kept flat too). */
export interface Bucket {
  /** Indices into the optimiser's variables, in order. */
  members: number[];
  /** Offsets of the members in the flat vector; offsets[k + 1] − offsets[k] is member k's size. */
  offsets: number[];
  size: number;
  m: Variable;
  v: Variable;
  /** Per element: the weight decay for matrices (rank ≥ 2), 0 for biases and norms; null if no decay. */
  decay: Tensor1D | null;
}

/** Groups variables in order into buckets of at most `limit` elements (a larger variable alone). */
export function planBuckets(variables: Variable[], limit = BUCKET_ELEMENTS): number[][] {
  const groups: number[][] = [];
  let current: number[] = [];
  let size = 0;
  variables.forEach((p, i) => {
    if (current.length > 0 && size + p.size > limit) {
      groups.push(current);
      current = [];
      size = 0;
    }
    current.push(i);
    size += p.size;
  });
  if (current.length > 0) groups.push(current);
  return groups;
}

/** A bucket's zeroed moments and its decay vector (the caller disposes them). */
export function makeBucket(variables: Variable[], members: number[], weightDecay: number): Bucket {
  const offsets = [0];
  for (const i of members) offsets.push(offsets[offsets.length - 1] + variables[i].size);
  const size = offsets[offsets.length - 1];
  let decay: Tensor1D | null = null;
  if (weightDecay > 0) {
    const values = new Float32Array(size);
    members.forEach((i, k) => {
      if (variables[i].rank >= 2) values.fill(weightDecay, offsets[k], offsets[k + 1]);
    });
    decay = tf.tensor1d(values);
  }
  return {
    members,
    offsets,
    size,
    // tidy frees the zeros a variable is made from; the variable survives it.
    m: tf.tidy(() => tf.variable(tf.zeros([size]), false)),
    v: tf.tidy(() => tf.variable(tf.zeros([size]), false)),
    decay,
  };
}

/** The members' tensors (or zeros for a missing one) as one flat vector, in the bucket's order. */
export function flatten(bucket: Bucket, pieces: (Tensor | null | undefined)[]): Tensor1D {
  const flat = bucket.members.map((_, k) => {
    const piece = pieces[k];
    const n = bucket.offsets[k + 1] - bucket.offsets[k];
    return piece == null ? tf.zeros([n]) : tf.reshape(piece, [n]);
  });
  return (flat.length === 1 ? flat[0] : tf.concat(flat)) as Tensor1D;
}

/** A flat vector cut back into the members' shapes (one SplitV, then views). */
export function unflatten(bucket: Bucket, flat: Tensor, variables: Variable[]): Tensor[] {
  const sizes = bucket.members.map((_, k) => bucket.offsets[k + 1] - bucket.offsets[k]);
  const parts = sizes.length === 1 ? [flat] : tf.split(flat as Tensor1D, sizes);
  return parts.map((part, k) => tf.reshape(part, variables[bucket.members[k]].shape));
}

/** 1 where the member has a gradient, 0 where it has none: which elements an update may change. */
export function presentMask(bucket: Bucket, present: boolean[]): Tensor1D {
  const values = new Uint8Array(bucket.size);
  present.forEach((p, k) => {
    if (p) values.fill(1, bucket.offsets[k], bucket.offsets[k + 1]);
  });
  return tf.tensor1d(values, 'bool');
}
