import { parseArgs } from 'node:util';
import { UsageError } from './errors';

export type OptionSpec = Record<string, { type: 'string' | 'boolean'; default?: string | boolean }>;

/** Parses a command's options strictly: unknown options and stray arguments are usage errors. */
export function parseOptions<S extends OptionSpec>(command: string, argv: string[], spec: S) {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: spec,
      strict: true,
      allowPositionals: true,
    });
    if (positionals.length)
      throw new UsageError(`strata ${command}: unexpected argument "${positionals[0]}"`);
    return values as { [K in keyof S]?: S[K]['type'] extends 'boolean' ? boolean : string };
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`strata ${command}: ${(e as Error).message}`);
  }
}

export function requireOption(command: string, name: string, value: string | undefined): string {
  if (value === undefined || value === '')
    throw new UsageError(`strata ${command}: --${name} is required`);
  return value;
}

/** An integer option within [min, max], or the default when absent. */
export function intOption(
  command: string,
  name: string,
  value: string | undefined,
  fallback: number,
  min = 1,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(
      `strata ${command}: --${name} ${value}: expected an integer from ${min} to ${max}`,
    );
  }
  return n;
}

/** A finite number option within (min, max], or the default when absent. */
export function numberOption(
  command: string,
  name: string,
  value: string | undefined,
  fallback: number,
  min = -Infinity,
  max = Infinity,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
    throw new UsageError(
      `strata ${command}: --${name} ${value}: expected a number from ${min} to ${max}`,
    );
  }
  return n;
}

/** One of a fixed list of choices. */
export function choiceOption<T extends string>(
  command: string,
  name: string,
  value: string | undefined,
  choices: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(
      `strata ${command}: --${name} ${value}: expected one of ${choices.join(', ')}`,
    );
  }
  return value as T;
}

/**
 * `--samples`, `--pooling` and `--seed` of an analysis over a dataset's test split: samples from
 * 1 to its size (default min(1000, size)), the pooling absent for the model's own, seed ≥ 0.
 */
export function sampleOptions(
  o: { samples?: string; pooling?: string; seed?: string },
  dataset: { testCount: number },
): { samples: number; pooling: 'cls' | 'mean' | 'tokens' | undefined; seed: number } {
  const max = dataset.testCount;
  const samples = intOption('analyze', 'samples', o.samples, Math.min(1000, max), 1, max);
  const pooling =
    o.pooling === undefined
      ? undefined // the model's own
      : choiceOption('analyze', 'pooling', o.pooling, ['cls', 'mean', 'tokens'] as const, 'cls');
  const seed = intOption('analyze', 'seed', o.seed, 0, 0);
  return { samples, pooling, seed };
}
