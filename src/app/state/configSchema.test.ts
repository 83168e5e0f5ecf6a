import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from './config';
import { CONFIG_FIELDS, fieldProblem, sanitizeConfig } from './configSchema';

describe('config schema', () => {
  it('round-trips the default config through JSON unchanged and without notices', () => {
    const { config, notices } = sanitizeConfig(JSON.parse(JSON.stringify(DEFAULT_CONFIG)));
    expect(config).toEqual(DEFAULT_CONFIG);
    expect(notices).toEqual([]);
  });

  it('takes valid fields and drops invalid ones with a notice naming the field', () => {
    const { config, notices } = sanitizeConfig({
      modelId: 'mnist-standard',
      samples: 250,
      pooling: 'max',
      train: { lr: 'fast', steps: 30 },
      exit: { rule: 'patience', threshold: 2 },
      compare: { a: '<script>' },
    });
    expect(config.modelId).toBe('mnist-standard');
    expect(config.samples).toBe(250);
    expect(config.pooling).toBe(DEFAULT_CONFIG.pooling);
    expect(config.train).toEqual({ ...DEFAULT_CONFIG.train, steps: 30 });
    expect(config.exit).toEqual({ rule: 'patience', threshold: 2 });
    expect(config.compare.a).toBeNull();
    expect(notices).toHaveLength(3);
    expect(notices[0]).toMatch(/^Ignored pooling = "max": expected one of cls, mean, tokens/);
    expect(notices.some((n) => n.startsWith('Ignored train.lr'))).toBe(true);
    expect(notices.some((n) => n.startsWith('Ignored compare.a'))).toBe(true);
  });

  it('never throws on garbage and never shares objects with its base', () => {
    for (const raw of [null, 7, 'x', [], { train: null }, { compare: 5 }, { samples: 1e9 }]) {
      expect(() => sanitizeConfig(raw)).not.toThrow();
    }
    const { config } = sanitizeConfig({});
    config.train.steps = 1;
    expect(DEFAULT_CONFIG.train.steps).not.toBe(1);
  });

  it('checks ranges and whole numbers', () => {
    expect(fieldProblem('samples', 15)).toMatch(/\[16, 10000\]/);
    expect(fieldProblem('samples', 16.5)).toBe('expected a whole number');
    expect(fieldProblem('train.lr', 1e-3)).toBeNull();
    expect(fieldProblem('finalNormInHead', 'yes')).toBe('expected true or false');
    expect(Object.keys(CONFIG_FIELDS)).toContain('exit.threshold');
  });
});
