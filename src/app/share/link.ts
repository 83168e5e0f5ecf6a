// A share link (issue 7): the config in the URL hash, readable (`#v=1&model=mnist-aligned&metric=
// cka-debiased&exit.threshold=0.8`), only the fields that differ from the defaults, checked field
// by field against the declarative schema (configSchema.ts). Decoding never throws: whatever it
// cannot use is listed in one notice and the rest of the link still applies.
import { DEFAULT_CONFIG, DEFAULT_THRESHOLDS, type ExplorerConfig } from '../state/config';
import {
  CONFIG_FIELDS,
  fieldProblem,
  sanitizeConfig,
  type ConfigPath,
} from '../state/configSchema';

/** The link format's version, written as `v=1` first in every link. */
export const LINK_VERSION = 1;

/** Longer hashes are ignored whole: a real link is a few hundred characters. */
export const MAX_LINK_LENGTH = 4096;

/** Problems listed in the notice before "and N more". */
const MAX_LISTED = 6;

/** The key each config field has in a link: the dotted path, shortened where it reads better. */
export const LINK_KEYS: Record<ConfigPath, string> = {
  modelId: 'model',
  dataset: 'dataset',
  samples: 'samples',
  seed: 'seed',
  ckaMetric: 'metric',
  ckaBatchSize: 'ckaBatch',
  rbfT: 'rbfT',
  pooling: 'pooling',
  finalNormInHead: 'finalNorm',
  'compare.a': 'compare.a',
  'compare.b': 'compare.b',
  'compare.metric': 'compare.metric',
  differenceRange: 'diffRange',
  'exit.rule': 'exit.rule',
  'exit.threshold': 'exit.threshold',
  'train.loss': 'train.loss',
  'train.weighting': 'train.weighting',
  'train.lr': 'train.lr',
  'train.batchSize': 'train.batchSize',
  'train.steps': 'train.steps',
  'train.seed': 'train.seed',
  'train.evalEvery': 'train.evalEvery',
};

const PATHS = Object.keys(CONFIG_FIELDS) as ConfigPath[];
// A Map, not an object: a key such as `__proto__` or `constructor` must simply be unknown.
const PATH_OF_KEY = new Map(PATHS.map((p) => [LINK_KEYS[p], p]));

function valueAt(config: ExplorerConfig, path: ConfigPath): unknown {
  const [head, tail] = path.split('.');
  const v = (config as unknown as Record<string, unknown>)[head];
  return tail === undefined ? v : (v as Record<string, unknown>)[tail];
}

/** The default threshold follows the rule, so a link that only changes the rule stays short. */
function defaultAt(config: ExplorerConfig, path: ConfigPath, base: ExplorerConfig): unknown {
  return path === 'exit.threshold' ? DEFAULT_THRESHOLDS[config.exit.rule] : valueAt(base, path);
}

/** The hash text (without `#`) of `config`: the version, then each field that differs from `base`. */
export function encodeLink(config: ExplorerConfig, base: ExplorerConfig = DEFAULT_CONFIG): string {
  const parts = [`v=${LINK_VERSION}`];
  for (const path of PATHS) {
    const value = valueAt(config, path);
    if (value === null || value === undefined || value === defaultAt(config, path, base)) continue;
    parts.push(`${LINK_KEYS[path]}=${encodeURIComponent(String(value))}`);
  }
  return parts.join('&');
}

export interface DecodedLink {
  /** A valid config: the link's usable fields over `base`. */
  config: ExplorerConfig;
  /** One message listing everything the link had that was not used; null when all was used. */
  notice: string | null;
  /** Whether the hash held anything at all (an empty hash is no link). */
  present: boolean;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;
const BOOLEANS = new Map<string, boolean>([
  ['true', true],
  ['1', true],
  ['false', false],
  ['0', false],
]);

/** The typed value of a link's text for `path`; text that cannot be one stays text (and fails). */
function parseValue(path: ConfigPath, text: string): unknown {
  const spec = CONFIG_FIELDS[path];
  if (spec.kind === 'number') return NUMBER.test(text) ? Number(text) : text;
  if (spec.kind === 'boolean') return BOOLEANS.get(text) ?? text;
  return text;
}

/** Checks the schema cannot make alone: the threshold's range depends on the rule. */
function thresholdProblem(rule: ExplorerConfig['exit']['rule'], threshold: number): string | null {
  if (rule === 'confidence' && threshold > 1) return 'expected a confidence in [0, 1]';
  if (rule === 'patience' && !Number.isInteger(threshold))
    return 'expected a whole number of layers for the patience rule';
  return null;
}

function decodePart(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/** User text quoted for a message: short, and with control characters shown as `?`. */
function quote(text: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, '?');
  return JSON.stringify(clean.length > 30 ? `${clean.slice(0, 29)}…` : clean);
}

function noticeOf(problems: string[]): string | null {
  if (problems.length === 0) return null;
  const listed = problems.slice(0, MAX_LISTED);
  const more = problems.length - listed.length;
  return `Ignored part of the link: ${listed.join('; ')}${more > 0 ? `; and ${more} more` : ''}. Those settings are at their defaults.`;
}

/**
 * The config a hash describes (`#v=1&…`, with or without the `#`), over `base` for every field it
 * does not set. Unknown or repeated keys, malformed values, bad percent-encoding and oversized
 * hashes are left out and listed in `notice`. Never throws.
 */
export function decodeLink(hash: string, base: ExplorerConfig = DEFAULT_CONFIG): DecodedLink {
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  const fallback = (notice: string | null, present = true): DecodedLink => ({
    config: structuredClone(base),
    notice,
    present,
  });
  if (text === '') return fallback(null, false);
  if (text.length > MAX_LINK_LENGTH)
    return fallback(
      `Ignored the link: it is ${text.length.toLocaleString('en-US')} characters long, expected at most ${MAX_LINK_LENGTH.toLocaleString('en-US')}. The view is at its defaults.`,
    );

  const problems: string[] = [];
  const values = new Map<string, string[]>();
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    const key = decodePart(rawKey);
    const value = eq < 0 ? null : decodePart(part.slice(eq + 1));
    if (key === null) problems.push(`${quote(rawKey)} (bad percent-encoding)`);
    else if (eq < 0) problems.push(`${quote(key)} (no value)`);
    else if (value === null) problems.push(`${quote(key)} (bad percent-encoding in its value)`);
    else values.set(key, [...(values.get(key) ?? []), value]);
  }

  const version = values.get('v');
  values.delete('v');
  if (version && (version.length > 1 || version[0] !== String(LINK_VERSION)))
    return fallback(
      `Ignored the link: version ${quote(version.join(','))}, expected ${LINK_VERSION}. The view is at its defaults.`,
    );

  const raw: Record<string, Record<string, unknown> | unknown> = {};
  for (const [key, texts] of values) {
    const path = PATH_OF_KEY.get(key);
    if (!path) {
      problems.push(`unknown key ${quote(key)}`);
      continue;
    }
    if (texts.length > 1) {
      problems.push(`${key} given ${texts.length} times`);
      continue;
    }
    const value = parseValue(path, texts[0]);
    const problem = fieldProblem(path, value);
    if (problem) {
      problems.push(`${key} = ${quote(texts[0])} (${problem})`);
      continue;
    }
    const [head, tail] = path.split('.');
    if (tail === undefined) raw[head] = value;
    else raw[head] = { ...(raw[head] as Record<string, unknown> | undefined), [tail]: value };
  }

  // The threshold belongs to the rule: its range depends on the rule, and so does its default.
  const exit = (raw.exit ?? {}) as { rule?: ExplorerConfig['exit']['rule']; threshold?: number };
  const rule = exit.rule ?? base.exit.rule;
  if (exit.threshold !== undefined) {
    const problem = thresholdProblem(rule, exit.threshold);
    if (problem) {
      problems.push(`${LINK_KEYS['exit.threshold']} = ${exit.threshold} (${problem})`);
      delete exit.threshold;
    }
  }
  // The encoder leaves out a threshold equal to its rule's default, so that is what absence means.
  exit.threshold ??= DEFAULT_THRESHOLDS[rule];
  raw.exit = exit;

  // Every value was checked above; sanitizeConfig assembles them (and would catch any slip).
  const { config, notices } = sanitizeConfig(raw, base);
  return { config, notice: noticeOf([...problems, ...notices]), present: true };
}
