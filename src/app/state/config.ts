// The config slice: everything the user chose, as plain JSON-serialisable values. It is the one
// part of the state a share link carries, so every field has a default and a validated range in
// configSchema.ts.
import type {
  BackendName,
  ExitRule,
  LossKind,
  Pooling,
  SimilarityMetric,
  TrainRequest,
} from '../../engine/apiTypes';

/** The measure drawn beside cosine: a CKA variant, Procrustes, SVCCA or mutual k-NN. */
export type CkaMetric = Exclude<SimilarityMetric, 'cosine'>;

/** Which of the two similarity pictures the A/B view compares. */
export type CompareMetric = 'cosine' | 'cka';

/** The difference map's colour range: fixed at ±1, or fitted to the data. */
export type DifferenceRange = 'fixed' | 'fitted';

/** The engine's named layer weightings: the page offers these, not a custom list. */
export type NamedWeighting = Extract<TrainRequest['weighting'], string>;

/** A fine-tune's settings: the engine's request less the model and dataset under study. */
export type TrainSettings = Omit<TrainRequest, 'baseModelId' | 'dataset' | 'weighting'> & {
  weighting: NamedWeighting;
};

export interface ExplorerConfig {
  /** Forced backend (`?backend=`); undefined lets the policy choose. */
  backend?: BackendName;
  /** The checkpoint under study; null until the model list arrives. */
  modelId: string | null;
  /** Its dataset (a model reads one dataset); null until the model list arrives. */
  dataset: string | null;
  /** Test rows captured for the analyses, N. */
  samples: number;
  /** Seed of the test sample. */
  seed: number;
  ckaMetric: CkaMetric;
  /** Rows per batch of minibatch CKA. */
  ckaBatchSize: number;
  /** RBF CKA's bandwidth: σ = t · median pairwise distance. */
  rbfT: number;
  pooling: Pooling;
  /** Whether the shared classifier applies the final LayerNorm. */
  finalNormInHead: boolean;
  /** The A/B pair: two checkpoints of the same dataset. */
  compare: { a: string | null; b: string | null; metric: CompareMetric };
  /** The A/B difference map's colour range. */
  differenceRange: DifferenceRange;
  /** Early-exit rule and its threshold τ (or patience k). */
  exit: { rule: ExitRule; threshold: number };
  train: TrainSettings;
}

export const CKA_METRICS: readonly CkaMetric[] = [
  'cka',
  'cka-debiased',
  'cka-minibatch',
  'cka-rbf',
  'procrustes',
  'svcca',
  'knn',
];

export const CKA_METRIC_LABELS: Record<CkaMetric, string> = {
  cka: 'Linear CKA',
  'cka-debiased': 'Debiased CKA',
  'cka-minibatch': 'Minibatch CKA',
  'cka-rbf': 'RBF CKA',
  procrustes: 'Procrustes similarity',
  svcca: 'SVCCA',
  knn: 'Mutual k-NN (k = 10)',
};

export const POOLINGS: readonly Pooling[] = ['cls', 'mean', 'tokens'];
export const LOSS_KINDS: readonly LossKind[] = ['standard', 'aligned', 'multihead'];
export const WEIGHTINGS: readonly NamedWeighting[] = ['linear', 'uniform'];
export const EXIT_RULE_NAMES: readonly ExitRule[] = ['confidence', 'entropy', 'patience'];

/** The first threshold of each rule: a useful operating point, not an extreme. */
export const DEFAULT_THRESHOLDS: Record<ExitRule, number> = {
  confidence: 0.9,
  entropy: 0.5,
  patience: 2,
};

export const DEFAULT_CONFIG: ExplorerConfig = {
  modelId: null,
  dataset: null,
  samples: 1000,
  seed: 1,
  ckaMetric: 'cka',
  ckaBatchSize: 256,
  rbfT: 0.5,
  pooling: 'cls',
  finalNormInHead: true,
  compare: { a: null, b: null, metric: 'cosine' },
  differenceRange: 'fixed',
  exit: { rule: 'confidence', threshold: DEFAULT_THRESHOLDS.confidence },
  train: {
    loss: 'aligned',
    weighting: 'linear',
    lr: 1e-4,
    batchSize: 32,
    steps: 200,
    seed: 0,
    evalEvery: 20,
  },
};

/** Settings that exist only for one CKA variant: they are part of that variant's request alone. */
export const CKA_SETTINGS = { batchSize: 'cka-minibatch', rbfT: 'cka-rbf' } as const;
