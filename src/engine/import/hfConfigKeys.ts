// Typed reads of a Hugging Face config.json's keys, each error naming the file and the key.
import type { Activation } from '../model/config';

/**
 * Hugging Face `hidden_act` values and Strata's activation for each (transformers' ACT2FN:
 * gelu_python is the erf form; gelu_fast and gelu_accurate equal gelu_new within 3e-7).
 */
const ACTIVATIONS: Record<string, Activation> = {
  gelu: 'gelu',
  gelu_python: 'gelu',
  gelu_new: 'gelu_tanh',
  gelu_pytorch_tanh: 'gelu_tanh',
  gelu_fast: 'gelu_tanh',
  gelu_accurate: 'gelu_tanh',
  relu: 'relu',
};

export function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Reads typed keys with defaults, naming the file and key in every error. */
export function keyReader(
  obj: Record<string, unknown>,
  defaults: Record<string, unknown>,
  file: string,
) {
  const value = (key: string) => (obj[key] ?? defaults[key]) as unknown;
  const fail = (key: string, expected: string): never => {
    throw new Error(`${file}: key "${key}" is ${JSON.stringify(value(key))}, expected ${expected}`);
  };
  return {
    file,
    value,
    /**
     * A key that fixes weight shapes: a default would only surface later as a wrong tensor shape,
     * so a config without it is refused here, naming the key.
     */
    required(key: string, what: string): number {
      if (obj[key] === undefined || obj[key] === null) {
        throw new Error(
          `${file}: no key "${key}", expected a positive integer (${what}); transformers writes it in every saved config.json`,
        );
      }
      return this.positive(key);
    },
    positive(key: string): number {
      const v = value(key);
      return Number.isInteger(v) && (v as number) > 0
        ? (v as number)
        : fail(key, 'a positive integer');
    },
    nonNegative(key: string): number {
      const v = value(key);
      return Number.isInteger(v) && (v as number) >= 0
        ? (v as number)
        : fail(key, 'a non-negative integer');
    },
    positiveNumber(key: string): number {
      const v = value(key);
      return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : fail(key, 'a number > 0');
    },
    boolean(key: string): boolean {
      const v = value(key);
      return typeof v === 'boolean' ? v : fail(key, 'true or false');
    },
    unsupported(key: string, detail: string): never {
      throw new Error(
        `${file}: key "${key}" is ${JSON.stringify(value(key))}, which Strata does not support: ${detail}`,
      );
    },
  };
}

export type KeyReader = ReturnType<typeof keyReader>;

export function readActivation(keys: KeyReader, key = 'hidden_act'): Activation {
  const act = keys.value(key);
  if (typeof act === 'string' && Object.hasOwn(ACTIVATIONS, act)) return ACTIVATIONS[act];
  return keys.unsupported(key, `expected one of ${Object.keys(ACTIVATIONS).join(', ')}`);
}

/** Class names from `id2label` (keys "0".."C−1"), else `num_labels` names LABEL_i (default 2). */
export function readLabels(json: Record<string, unknown>, file: string): string[] {
  const { id2label, num_labels: numLabels } = json;
  if (id2label === undefined || id2label === null) {
    const n = numLabels ?? 2;
    if (!Number.isInteger(n) || (n as number) < 1) {
      throw new Error(`${file}: key "num_labels" is ${JSON.stringify(n)}, expected an integer ≥ 1`);
    }
    return Array.from({ length: n as number }, (_, i) => `LABEL_${i}`);
  }
  if (!isObject(id2label) || Object.keys(id2label).length === 0) {
    throw new Error(`${file}: key "id2label" must be an object {"0": name, …} with ≥ 1 class`);
  }
  const count = Object.keys(id2label).length;
  return Array.from({ length: count }, (_, i) => {
    const label = id2label[String(i)];
    if (typeof label !== 'string') {
      throw new Error(
        `${file}: id2label has no name for class ${i}, expected string names for ids 0..${count - 1}`,
      );
    }
    return label;
  });
}

/** The key names of the sizes: BERT-style by default, DistilBERT has its own. */
export interface SizeKeys {
  hidden: string;
  layers: string;
  heads: string;
  mlp: string;
  activation: string;
}

export const BERT_SIZE_KEYS: SizeKeys = {
  hidden: 'hidden_size',
  layers: 'num_hidden_layers',
  heads: 'num_attention_heads',
  mlp: 'intermediate_size',
  activation: 'hidden_act',
};

/** The fields every architecture shares; `eps` is given where the architecture fixes it. */
export function readBase(keys: KeyReader, labels: string[], names = BERT_SIZE_KEYS, eps?: number) {
  const hiddenSize = keys.required(names.hidden, 'the width of every hidden state');
  const numHeads = keys.positive(names.heads);
  if (hiddenSize % numHeads !== 0) {
    keys.unsupported(names.heads, `${names.hidden} ${hiddenSize} is not a multiple of it`);
  }
  return {
    hiddenSize,
    numLayers: keys.required(names.layers, 'the number of blocks'),
    numHeads,
    mlpSize: keys.required(names.mlp, 'the width of the MLP'),
    numClasses: labels.length,
    labels,
    layerNormEps: eps ?? keys.positiveNumber('layer_norm_eps'),
    activation: readActivation(keys, names.activation),
    heads: 'shared' as const,
    pooling: 'cls' as const,
  };
}
