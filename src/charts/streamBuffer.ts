/** A point of a training curve. */
export interface XY {
  x: number;
  y: number;
}

/** A bounded, append-only buffer of one curve's points. */
export interface StreamBuffer {
  push(point: XY): void;
  /** The kept points, then the latest point if it was not kept, in arrival order. */
  points(): XY[];
  /** How many points were ever pushed. */
  seen(): number;
}

/**
 * A buffer that holds at most `max` points whatever the number pushed: when it fills, every
 * other kept point is dropped and from then on only every `stride`-th arriving point is kept
 * (stride doubles each time), so the whole curve stays covered at uniform resolution. The latest
 * point is always shown, so the line reaches the current value.
 */
export function createStreamBuffer(max: number): StreamBuffer {
  if (!(Number.isInteger(max) && max >= 4)) {
    throw new Error(
      `stream buffer: maxPointsPerSeries is ${max}, expected an integer of at least 4`,
    );
  }
  let kept: XY[] = [];
  let stride = 1;
  let count = 0;
  let tail: XY | null = null;
  return {
    push(point) {
      if (count % stride === 0) {
        kept.push(point);
        tail = null;
        if (kept.length >= max) {
          // kept[i] arrived as number i·stride; keeping even i leaves multiples of 2·stride.
          kept = kept.filter((_, i) => i % 2 === 0);
          stride *= 2;
          if (kept[kept.length - 1] !== point) tail = point;
        }
      } else tail = point;
      count += 1;
    },
    points: () => (tail ? [...kept, tail] : kept.slice()),
    seen: () => count,
  };
}
