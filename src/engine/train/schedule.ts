/** Learning-rate schedule: linear warm-up to `peak`, then a cosine decay to `peak · minRatio`. */
export interface LrSchedule {
  peak: number;
  warmupSteps: number;
  totalSteps: number;
  /** Floor of the cosine, as a fraction of the peak (default 0.1). */
  minRatio?: number;
}

/**
 * The learning rate at a 0-based step, a pure function of it (so a resumed run repeats it):
 * warm-up lr = peak · (step + 1) / warmup; then lr = min + (peak − min) · ½(1 + cos(π · p)),
 * p = (step − warmup) / (total − warmup) clamped to [0, 1].
 */
export function learningRate(step: number, schedule: LrSchedule): number {
  const { peak, warmupSteps, totalSteps } = schedule;
  const min = peak * (schedule.minRatio ?? 0.1);
  if (step < warmupSteps) return (peak * (step + 1)) / warmupSteps;
  const span = Math.max(1, totalSteps - warmupSteps);
  const p = Math.min(1, Math.max(0, (step - warmupSteps) / span));
  return min + (peak - min) * 0.5 * (1 + Math.cos(Math.PI * p));
}

/** How the aligned and multi-head losses weigh layers 1..L (docs/design.md §3). */
export type LayerWeighting = 'linear' | 'uniform' | number[];

/**
 * λ_1..λ_L: `linear` λ_l = 2l / (L(L+1)) (deeper layers weigh more; sums to 1), `uniform`
 * λ_l = 1/L, or a custom list of L non-negative numbers, used as given.
 */
export function layerWeights(weighting: LayerWeighting, numLayers: number): number[] {
  const L = numLayers;
  if (weighting === 'linear')
    return Array.from({ length: L }, (_, i) => (2 * (i + 1)) / (L * (L + 1)));
  if (weighting === 'uniform') return Array.from({ length: L }, () => 1 / L);
  if (weighting.length !== L) {
    throw new Error(
      `custom layer weights: got ${weighting.length} weights, expected one per layer (${L})`,
    );
  }
  weighting.forEach((w, i) => {
    if (!Number.isFinite(w) || w < 0)
      throw new Error(`custom layer weights: weight ${i + 1} is ${w}, expected a number ≥ 0`);
  });
  if (weighting.every((w) => w === 0)) throw new Error('custom layer weights: all weights are 0');
  return [...weighting];
}
