/**
 * The median as numpy.median defines it: the middle value of the sorted values, or the mean of
 * the two middle values when their count is even. Linear time (quickselect with a three-way
 * partition, so many equal values — the zeros of a distance matrix's diagonal — cost nothing).
 */
export function median(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) throw new Error('median: no values');
  const a = Float64Array.from(values as ArrayLike<number>);
  const hi = Math.floor(n / 2);
  const upper = select(a, hi);
  if (n % 2 === 1) return upper;
  // After select(a, hi) every value left of hi is ≤ a[hi]: the other middle value is their max.
  let lower = -Infinity;
  for (let i = 0; i < hi; i++) if (a[i] > lower) lower = a[i];
  return (lower + upper) / 2;
}

/** Rearranges `a` so that a[k] holds the k-th smallest value, smaller ones left of it. */
function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = medianOfThree(a[lo], a[(lo + hi) >> 1], a[hi]);
    // Three-way partition: [lo, lt) < pivot, [lt, gt] = pivot, (gt, hi] > pivot.
    let lt = lo;
    let gt = hi;
    let i = lo;
    while (i <= gt) {
      const v = a[i];
      if (v < pivot) {
        a[i] = a[lt];
        a[lt] = v;
        lt++;
        i++;
      } else if (v > pivot) {
        a[i] = a[gt];
        a[gt] = v;
        gt--;
      } else {
        i++;
      }
    }
    if (k < lt) hi = lt - 1;
    else if (k > gt) lo = gt + 1;
    else return pivot;
  }
  return a[k];
}

function medianOfThree(x: number, y: number, z: number): number {
  if (x < y) return y < z ? y : x < z ? z : x;
  return x < z ? x : y < z ? z : y;
}
