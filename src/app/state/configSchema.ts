// A declarative table of the config's fields (tensorflow/playground habit): each field has a path,
// a kind and its valid values, so the controls take their limits from here and a share link
// can be validated field by field, with a notice for each value it had to drop.
import {
  CKA_METRICS,
  DEFAULT_CONFIG,
  EXIT_RULE_NAMES,
  LOSS_KINDS,
  POOLINGS,
  WEIGHTINGS,
  type ExplorerConfig,
} from './config';

export interface NumberField {
  kind: 'number';
  min: number;
  max: number;
  integer: boolean;
}
export interface ChoiceField {
  kind: 'choice';
  values: readonly string[];
}
export interface OtherField {
  kind: 'boolean' | 'id';
}
export type FieldSpec = NumberField | ChoiceField | OtherField;

/** Every user-settable field of {@link ExplorerConfig}, by dotted path. */
export const CONFIG_FIELDS = {
  modelId: { kind: 'id' },
  dataset: { kind: 'id' },
  samples: { kind: 'number', min: 16, max: 10_000, integer: true },
  seed: { kind: 'number', min: 0, max: 2 ** 31 - 1, integer: true },
  ckaMetric: { kind: 'choice', values: CKA_METRICS },
  ckaBatchSize: { kind: 'number', min: 4, max: 10_000, integer: true },
  rbfT: { kind: 'number', min: 0.05, max: 10, integer: false },
  pooling: { kind: 'choice', values: POOLINGS },
  finalNormInHead: { kind: 'boolean' },
  'compare.a': { kind: 'id' },
  'compare.b': { kind: 'id' },
  'compare.metric': { kind: 'choice', values: ['cosine', 'cka'] },
  differenceRange: { kind: 'choice', values: ['fixed', 'fitted'] },
  'exit.rule': { kind: 'choice', values: EXIT_RULE_NAMES },
  'exit.threshold': { kind: 'number', min: 0, max: 1_000, integer: false },
  'train.loss': { kind: 'choice', values: LOSS_KINDS },
  'train.weighting': { kind: 'choice', values: WEIGHTINGS },
  'train.lr': { kind: 'number', min: 1e-6, max: 1, integer: false },
  'train.batchSize': { kind: 'number', min: 1, max: 1024, integer: true },
  'train.steps': { kind: 'number', min: 1, max: 100_000, integer: true },
  'train.seed': { kind: 'number', min: 0, max: 2 ** 31 - 1, integer: true },
  'train.evalEvery': { kind: 'number', min: 1, max: 100_000, integer: true },
} as const satisfies Record<string, FieldSpec>;

export type ConfigPath = keyof typeof CONFIG_FIELDS;

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;

/** Why `value` is not valid for `path`, or null when it is. */
export function fieldProblem(path: ConfigPath, value: unknown): string | null {
  const spec: FieldSpec = CONFIG_FIELDS[path];
  switch (spec.kind) {
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'expected a number';
      if (spec.integer && !Number.isInteger(value)) return 'expected a whole number';
      if (value < spec.min || value > spec.max)
        return `expected a value in [${spec.min}, ${spec.max}]`;
      return null;
    case 'choice':
      return typeof value === 'string' && spec.values.includes(value)
        ? null
        : `expected one of ${spec.values.join(', ')}`;
    case 'boolean':
      return typeof value === 'boolean' ? null : 'expected true or false';
    case 'id':
      return value === null || (typeof value === 'string' && ID.test(value))
        ? null
        : 'expected a model or dataset id (letters, digits, . _ -)';
  }
}

function getPath(o: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
      o,
    );
}

function setPath(o: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  const last = keys.pop()!;
  let target = o;
  for (const k of keys) target = target[k] as Record<string, unknown>;
  target[last] = value;
}

const shortJson = (v: unknown) => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
};

/**
 * A full config from untrusted input (a parsed link, a stored session): each field present and
 * valid is taken, each invalid one falls back to `base` with a notice; missing fields are quiet.
 * Never throws.
 */
export function sanitizeConfig(
  raw: unknown,
  base: ExplorerConfig = DEFAULT_CONFIG,
): { config: ExplorerConfig; notices: string[] } {
  const config = structuredClone(base) as unknown as Record<string, unknown>;
  const notices: string[] = [];
  for (const path of Object.keys(CONFIG_FIELDS) as ConfigPath[]) {
    const value = getPath(raw, path);
    if (value === undefined) continue;
    const problem = fieldProblem(path, value);
    if (problem) notices.push(`Ignored ${path} = ${shortJson(value)}: ${problem}.`);
    else setPath(config, path, value);
  }
  return { config: config as unknown as ExplorerConfig, notices };
}
