import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, DEFAULT_THRESHOLDS, type ExplorerConfig } from '../state/config';
import { CONFIG_FIELDS, fieldProblem, type ConfigPath } from '../state/configSchema';
import { decodeLink, encodeLink, LINK_KEYS, MAX_LINK_LENGTH } from './link';

/** A small seeded generator (mulberry32), so a failing case can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PATHS = Object.keys(CONFIG_FIELDS) as ConfigPath[];
const ID_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-';

function valueAt(config: ExplorerConfig, path: ConfigPath): unknown {
  const [head, tail] = path.split('.');
  const v = (config as unknown as Record<string, unknown>)[head];
  return tail === undefined ? v : (v as Record<string, unknown>)[tail];
}

/** A random config that every check accepts (the threshold's range follows the rule). */
function randomConfig(r: () => number): ExplorerConfig {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const int = (min: number, max: number) => min + Math.floor(r() * (max - min + 1));
  const id = () =>
    r() < 0.2
      ? null
      : pick(ID_CHARS.slice(0, 62).split('')) +
        Array.from({ length: int(0, 20) }, () => pick(ID_CHARS.split(''))).join('');
  const rule = pick(['confidence', 'entropy', 'patience'] as const);
  const threshold = rule === 'confidence' ? r() : rule === 'entropy' ? r() * 5 : int(0, 12);
  return {
    modelId: id(),
    dataset: id(),
    samples: int(16, 10_000),
    seed: int(0, 2 ** 31 - 1),
    ckaMetric: pick(CONFIG_FIELDS.ckaMetric.values),
    ckaBatchSize: int(4, 10_000),
    rbfT: r() < 0.2 ? 0.5 : 0.05 + r() * 9.95,
    pooling: pick(CONFIG_FIELDS.pooling.values),
    finalNormInHead: r() < 0.5,
    compare: { a: id(), b: id(), metric: pick(['cosine', 'cka'] as const) },
    differenceRange: pick(['fixed', 'fitted'] as const),
    exit: { rule, threshold: r() < 0.2 ? DEFAULT_THRESHOLDS[rule] : threshold },
    train: {
      loss: pick(CONFIG_FIELDS['train.loss'].values),
      weighting: pick(['linear', 'uniform'] as const),
      // Log-uniform over the allowed range, so tiny rates (written 1e-7 style) are covered.
      lr: r() < 0.1 ? 1e-4 : Math.exp(Math.log(1e-6) + r() * -Math.log(1e-6)),
      batchSize: int(1, 1024),
      steps: int(1, 100_000),
      seed: int(0, 2 ** 31 - 1),
      evalEvery: int(1, 100_000),
    },
  };
}

function expectValid(config: ExplorerConfig): void {
  for (const path of PATHS) expect(fieldProblem(path, valueAt(config, path)), path).toBeNull();
  expect(Object.getPrototypeOf(config)).toBe(Object.prototype);
  expect(Object.keys(config).sort()).toEqual(Object.keys(DEFAULT_CONFIG).sort());
}

describe('share link: encoding', () => {
  it('writes only the version for the default config', () => {
    expect(encodeLink(DEFAULT_CONFIG)).toBe('v=1');
  });

  it('writes readable keys for the fields that differ, in schema order', () => {
    const config: ExplorerConfig = {
      ...DEFAULT_CONFIG,
      modelId: 'mnist-aligned',
      dataset: 'mnist',
      ckaMetric: 'cka-debiased',
      compare: { a: 'mnist-standard', b: 'mnist-multihead', metric: 'cka' },
      exit: { rule: 'entropy', threshold: 0.25 },
      train: { ...DEFAULT_CONFIG.train, lr: 3e-7 },
    };
    expect(encodeLink(config)).toBe(
      'v=1&model=mnist-aligned&dataset=mnist&metric=cka-debiased&compare.a=mnist-standard' +
        '&compare.b=mnist-multihead&compare.metric=cka&exit.rule=entropy&exit.threshold=0.25' +
        '&train.lr=3e-7',
    );
  });

  it('leaves out a threshold equal to its rule’s default', () => {
    const config = { ...DEFAULT_CONFIG, exit: { rule: 'patience' as const, threshold: 2 } };
    expect(encodeLink(config)).toBe('v=1&exit.rule=patience');
    expect(decodeLink('#v=1&exit.rule=patience').config.exit).toEqual({
      rule: 'patience',
      threshold: 2,
    });
  });

  it('has a distinct key for every field', () => {
    expect(new Set(Object.values(LINK_KEYS)).size).toBe(PATHS.length);
    expect(Object.keys(LINK_KEYS).sort()).toEqual([...PATHS].sort());
  });
});

describe('share link: round trip', () => {
  it('gives back 2,000 random valid configs exactly, with no notice', () => {
    const r = rng(7);
    for (let i = 0; i < 2000; i++) {
      const config = randomConfig(r);
      const hash = `#${encodeLink(config)}`;
      const decoded = decodeLink(hash);
      expect(decoded.config, hash).toEqual(config);
      expect(decoded.notice, hash).toBeNull();
      expect(hash.length).toBeLessThan(MAX_LINK_LENGTH);
      // What the browser reports as location.hash is the same text: nothing needs escaping.
      expect(new URL(`http://x/${hash}`).hash).toBe(hash);
    }
  });

  it('keeps the base for fields a link does not set', () => {
    const base = { ...DEFAULT_CONFIG, samples: 128 };
    expect(decodeLink('#v=1&metric=cka-rbf', base).config).toEqual({
      ...base,
      ckaMetric: 'cka-rbf',
    });
  });

  it('reads a hand-written link without a version', () => {
    const { config, notice } = decodeLink('model=fashion-aligned&finalNorm=false&pooling=mean');
    expect(config).toMatchObject({
      modelId: 'fashion-aligned',
      finalNormInHead: false,
      pooling: 'mean',
    });
    expect(notice).toBeNull();
  });

  it('treats an empty hash as no link', () => {
    for (const hash of ['', '#'])
      expect(decodeLink(hash)).toEqual({ config: DEFAULT_CONFIG, notice: null, present: false });
  });
});

describe('share link: bad links', () => {
  it('uses the good fields and lists every bad one in a single notice', () => {
    const { config, notice } = decodeLink(
      '#v=1&metric=cka-rbf&pooling=max&foo=1&samples=12&samples=14&train.lr=fast&model=%E0%A4%A&exit.threshold=7',
    );
    expect(config).toEqual({ ...DEFAULT_CONFIG, ckaMetric: 'cka-rbf' });
    expect(notice).toMatch(/^Ignored part of the link: /);
    expect(notice).toContain('pooling = "max" (expected one of cls, mean, tokens)');
    expect(notice).toContain('unknown key "foo"');
    expect(notice).toContain('samples given 2 times');
    expect(notice).toContain('train.lr = "fast" (expected a number)');
    expect(notice).toContain('"model" (bad percent-encoding in its value)');
    expect(notice).toContain('exit.threshold = 7 (expected a confidence in [0, 1])');
    expect(notice!.match(/;/g)).toHaveLength(5); // six problems, one notice
  });

  it('lists six problems and counts the rest', () => {
    const hash = Array.from({ length: 10 }, (_, i) => `k${i}=1`).join('&');
    const { notice } = decodeLink(hash);
    expect(notice).toContain('unknown key "k5"; and 4 more.');
    expect(notice).not.toContain('k6');
  });

  it('names the prototype keys as unknown, never touching an object prototype', () => {
    const { config, notice } = decodeLink('#__proto__=1&constructor=2&prototype=3&toString=4');
    expect(config).toEqual(DEFAULT_CONFIG);
    expect(notice).toContain('unknown key "__proto__"');
    expect(notice).toContain('unknown key "constructor"');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('ignores a link of another version, or an oversized one, as a whole', () => {
    expect(decodeLink('#v=2&metric=cka-rbf')).toMatchObject({
      config: DEFAULT_CONFIG,
      notice: expect.stringContaining('version "2", expected 1'),
    });
    const huge = decodeLink(`#v=1&metric=cka-rbf&x=${'a'.repeat(100_000)}`);
    expect(huge.config).toEqual(DEFAULT_CONFIG);
    expect(huge.notice).toContain('expected at most 4,096');
  });

  it('refuses numbers JavaScript would accept but a link should not', () => {
    for (const text of ['0x20', 'Infinity', 'NaN', ' 64', '64 ', '', '1e400', '1_000'])
      expect(decodeLink(`#samples=${encodeURIComponent(text)}`).config.samples, text).toBe(1000);
    expect(decodeLink('#exit.rule=patience&exit.threshold=1.5').config.exit).toEqual({
      rule: 'patience',
      threshold: 2,
    });
  });

  it('quotes user text short and without control characters', () => {
    const { notice } = decodeLink(`#${encodeURIComponent('a\u0000b<script>' + 'z'.repeat(50))}=1`);
    expect(notice).toContain('unknown key "a?b<script>zzz');
    expect(notice).toContain('…"');
    expect(notice).not.toContain('\u0000');
  });
});

describe('share link: fuzz', () => {
  const keys = [...Object.values(LINK_KEYS), 'v', '__proto__', 'constructor', 'x', ''];
  const garbage = ['', '%', '%zz', '%E0%A4%A', 'NaN', '-1', '1e999', 'true', '☃', '&&', '=', '#'];

  function randomHash(r: () => number): string {
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
    const kind = Math.floor(r() * 5);
    if (kind === 0)
      // Random bytes (as a string of code units, surrogates included).
      return String.fromCharCode(
        ...Array.from({ length: Math.floor(r() * 300) }, () => Math.floor(r() * 65536)),
      );
    if (kind === 1)
      // Key=value soup from the printable range.
      return Array.from({ length: Math.floor(r() * 20) }, () =>
        Array.from({ length: Math.floor(r() * 12) }, () =>
          String.fromCharCode(32 + Math.floor(r() * 95)),
        ).join(''),
      ).join(pick(['&', '=', '&&']));
    if (kind === 2)
      // Valid keys with garbage or random values, duplicates likely.
      return Array.from(
        { length: Math.floor(r() * 25) },
        () => `${pick(keys)}=${pick(garbage)}`,
      ).join('&');
    if (kind === 3) {
      // A valid link with a few characters broken.
      const chars = encodeLink(randomConfig(r)).split('');
      for (let i = 0; i < 3; i++)
        chars[Math.floor(r() * chars.length)] = pick(['%', '&', '=', '%2', 'Z']);
      return chars.join('');
    }
    // A 100 kB hash (or one just under the limit).
    const n = r() < 0.5 ? 100_000 : MAX_LINK_LENGTH - 1;
    return `v=1&metric=cka&x=${'%'.repeat(n)}`.slice(0, n);
  }

  it('never throws and always yields a valid config, on 3,000 random hashes', () => {
    const r = rng(42);
    for (let i = 0; i < 3000; i++) {
      const hash = randomHash(r);
      const { config, notice } = decodeLink(hash);
      expectValid(config);
      if (notice !== null) {
        expect(typeof notice).toBe('string');
        expect(notice.length).toBeLessThan(1000);
      }
    }
  });
});
