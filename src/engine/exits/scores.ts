/**
 * Per-(layer, sample) quantities every early-exit rule reads, computed once from the exit
 * classifiers' logits and then shared by every threshold of a sweep (and by every slider move).
 *
 * Layers are 1-based in what callers see (layer l = after block l, `logits[l − 1]`); the arrays
 * below are indexed 0..L−1 like the `logits` list they come from.
 */
export interface ExitScores {
  /** L, the number of exit layers. */
  layers: number;
  /** N, the number of samples (rows). */
  samples: number;
  /** C, the number of classes (columns). */
  classes: number;
  /** Per layer, the top-1 class of each sample ([N] each; ties go to the lowest class index). */
  top1: Int32Array[];
  /** Per layer, max_c softmax(z)_c of each sample ([N] each). */
  confidence: Float64Array[];
  /** Per layer, the softmax entropy −Σ_c p_c ln p_c in nats, clamped to [0, ln C] ([N] each). */
  entropy: Float64Array[];
  /**
   * Per layer, how many consecutive earlier layers agree with this one's top-1 ([N] each):
   * run_1 = 0; run_l = run_{l−1} + 1 if top1_l = top1_{l−1}, else 0.
   */
  agreeRun: Int32Array[];
}

/** How a layer is named in messages: 1-based, with its index into the `logits` list. */
export function exitLayerName(index: number): string {
  return `layer ${index + 1} (logits[${index}])`;
}

/**
 * Checks the `logits` list (L row-major [N, C] arrays of one N and C) and returns N.
 * Validation happens here, at the edge, so the sweeps can trust their inputs.
 */
function checkLogits(logits: readonly Float32Array[], classes: number, where: string): number {
  if (logits.length === 0) throw new Error(`${where}: no layers of logits given, expected L ≥ 1`);
  const size = logits[0].length;
  if (size === 0) throw new Error(`${where}: ${exitLayerName(0)} is empty, expected N × C values`);
  if (!Number.isInteger(classes) || classes < 2) {
    throw new Error(`${where}: ${classes} classes, expected an integer ≥ 2`);
  }
  if (size % classes !== 0) {
    throw new Error(
      `${where}: ${exitLayerName(0)} has ${size} values, not a multiple of ${classes} classes; ` +
        'expected a row-major [N, C] array',
    );
  }
  const n = size / classes;
  logits.forEach((x, l) => {
    if (x.length !== size) {
      throw new Error(
        `${where}: ${exitLayerName(l)} has ${x.length} values (${x.length / classes} rows of ` +
          `${classes}) but ${exitLayerName(0)} has ${size} (${n} rows); every layer needs one row ` +
          'per sample, the same samples',
      );
    }
    for (let k = 0; k < size; k++) {
      if (!Number.isFinite(x[k])) {
        const row = Math.floor(k / classes);
        throw new Error(
          `${where}: ${exitLayerName(l)}, row ${row} holds ${x[k]} at class ${k % classes}; ` +
            'expected finite logits',
        );
      }
    }
  });
  return n;
}

/**
 * Top-1, confidence, entropy and agreement run of every (layer, sample), in float64.
 *
 * Softmax is computed stably: with m = max_c z_c and s = Σ_c exp(z_c − m),
 * confidence = max_c p_c = 1 / s and entropy H = −Σ_c p_c ln p_c = ln s − Σ_c p_c (z_c − m).
 * H is clamped to [0, ln C] so that rounding cannot move a uniform row past a threshold of ln C.
 *
 * @param logits one row-major [N, C] array per exit layer 1..L (the shared classifier applied to
 *   every layer, or one head per layer: the same shape either way).
 * @param classes C.
 */
export function exitScores(
  logits: readonly Float32Array[],
  classes: number,
  where = 'early exit',
): ExitScores {
  const n = checkLogits(logits, classes, where);
  const c = classes;
  const logC = Math.log(c);
  const top1: Int32Array[] = [];
  const confidence: Float64Array[] = [];
  const entropy: Float64Array[] = [];
  const agreeRun: Int32Array[] = [];
  for (const x of logits) {
    const t = new Int32Array(n);
    const p = new Float64Array(n);
    const h = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const row = i * c;
      let best = 0;
      let m = x[row];
      for (let j = 1; j < c; j++) {
        if (x[row + j] > m) {
          m = x[row + j];
          best = j;
        }
      }
      let s = 0;
      let sz = 0; // Σ_c exp(z_c − m) (z_c − m)
      for (let j = 0; j < c; j++) {
        const z = x[row + j] - m;
        const e = Math.exp(z);
        s += e;
        sz += e * z;
      }
      t[i] = best;
      p[i] = 1 / s;
      h[i] = Math.min(logC, Math.max(0, Math.log(s) - sz / s));
    }
    const run = new Int32Array(n);
    const previous = top1[top1.length - 1];
    const previousRun = agreeRun[agreeRun.length - 1];
    if (previous)
      for (let i = 0; i < n; i++) run[i] = t[i] === previous[i] ? previousRun[i] + 1 : 0;
    top1.push(t);
    confidence.push(p);
    entropy.push(h);
    agreeRun.push(run);
  }
  return { layers: logits.length, samples: n, classes: c, top1, confidence, entropy, agreeRun };
}

/** Logits as given, or scores already computed from them (reused across calls, e.g. a slider). */
export type ExitInput = readonly Float32Array[] | ExitScores;

/** Scores from either input; raw logits need C (`classes`). */
export function toScores(input: ExitInput, classes: number | undefined, where: string): ExitScores {
  if (!Array.isArray(input)) return input as ExitScores;
  if (classes === undefined) {
    throw new Error(`${where}: raw logits need the number of classes C (or pass exitScores(…))`);
  }
  return exitScores(input as readonly Float32Array[], classes, where);
}

/**
 * Scores for labelled input: C is inferred as (values per layer) / labels.length unless the
 * input is already scored. Labels must be one class index in 0..C−1 per sample.
 */
export function scoresWithLabels(input: ExitInput, labels: Int32Array, where: string): ExitScores {
  let scores: ExitScores;
  if (Array.isArray(input)) {
    const logits = input as readonly Float32Array[];
    if (labels.length === 0) throw new Error(`${where}: no labels given, expected one per sample`);
    const size = logits.length > 0 ? logits[0].length : 0;
    if (size % labels.length !== 0) {
      throw new Error(
        `${where}: ${exitLayerName(0)} has ${size} values, not a whole number of rows for ` +
          `${labels.length} labels; expected a row-major [N, C] array with N = labels.length`,
      );
    }
    scores = exitScores(logits, size / labels.length, where);
  } else {
    scores = input as ExitScores;
  }
  if (labels.length !== scores.samples) {
    throw new Error(
      `${where}: ${labels.length} labels for ${scores.samples} rows of logits, expected one label ` +
        'per sample',
    );
  }
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (y < 0 || y >= scores.classes) {
      throw new Error(
        `${where}: label ${y} of sample ${i} is not a class of 0..${scores.classes - 1}`,
      );
    }
  }
  return scores;
}
