import type { Timing } from './stats';
import type { Check } from './types';

/** `1.23×` with sensible precision. */
export function times(x: number): string {
  return `${x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)}×`;
}

/**
 * A target on the ratio of two medians, numerator / denominator: `at most` limit (e.g. Strata's
 * time over the reference's) or `at least` limit (e.g. the slow algorithm's time over Strata's).
 * Unmeasured when either side is missing.
 */
export function ratioCheck(
  target: string,
  numerator: Timing | null,
  denominator: Timing | null,
  limit: number,
  sense: 'at most' | 'at least',
): Check {
  if (!numerator || !denominator) {
    return {
      target,
      measured: 'not measured',
      met: null,
      detail: 'a side of the ratio is missing',
    };
  }
  const ratio = numerator.median / denominator.median;
  const met = sense === 'at most' ? ratio <= limit : ratio >= limit;
  const off = sense === 'at most' ? ratio / limit : limit / ratio;
  return {
    target,
    measured: times(ratio),
    met,
    detail: met
      ? `met with a margin of ${times(1 / off)}`
      : `missed by a factor of ${times(off)} (${sense} ${times(limit)} wanted)`,
  };
}

/** A target on a measured value: `at most` limit (memory, a time, a size). */
export function valueCheck(
  target: string,
  value: number | null,
  limit: number,
  unit: string,
): Check {
  if (value === null || !Number.isFinite(value)) {
    return { target, measured: 'not measured', met: null, detail: 'no measurement' };
  }
  const show = (x: number) => `${formatValue(x, limit)}${unit ? ` ${unit}` : ''}`;
  const met = value <= limit;
  return {
    target,
    measured: show(value),
    met,
    detail: met
      ? `${show(limit - value)} under the limit of ${show(limit)}`
      : `over the limit of ${show(limit)} by ${show(value - limit)} (${times(value / limit)})`,
  };
}

/** A value at the precision its limit calls for: whole MB, or 2 significant digits of a 1e-4. */
function formatValue(x: number, limit: number): string {
  if (limit >= 100) return x.toFixed(0);
  if (limit >= 1) return x.toFixed(1);
  return x.toPrecision(2);
}

/** Strata's CPU targets, as ratios of medians taken in one run on one machine. */
export const TARGETS = {
  /** W1: cosine + linear CKA on Node wasm over NumPy's feature-space formulas. */
  w1OverNumPy: 2.5,
  /** W2: a training step on Node wasm over PyTorch CPU with 2 threads. */
  w2OverTorch: 3,
  /** W1, W2: the same work in Chromium (wasm, its worker) over Node (wasm). */
  chromiumOverNode: 1.2,
} as const;

/** `W1 Chromium wasm within 1.2× of Node wasm`: Chromium's median over Node's. */
export function chromiumCheck(id: string, chromium: Timing | null, node: Timing | null): Check {
  const limit = TARGETS.chromiumOverNode;
  return ratioCheck(
    `${id} Chromium wasm within ${limit}× of Node wasm`,
    chromium,
    node,
    limit,
    'at most',
  );
}
