// The text encoders Strata imports (BERT, RoBERTa / XLM-R, DistilBERT): config.json → TextConfig.
import type { TextConfig } from '../model/config';
import { keyReader, readBase, readLabels, type KeyReader, type SizeKeys } from './hfConfigKeys';

/**
 * transformers' defaults for the keys Strata reads that do not fix a weight shape, used when a
 * config.json leaves one out, as `from_pretrained` does. Shape keys (sizes, vocab_size,
 * max_position_embeddings, type_vocab_size) are required instead.
 */
const BERT_DEFAULTS = {
  num_attention_heads: 12,
  hidden_act: 'gelu',
  layer_norm_eps: 1e-12,
  pad_token_id: 0,
};
const ROBERTA_DEFAULTS = { ...BERT_DEFAULTS, pad_token_id: 1 };
const DISTILBERT_DEFAULTS = { n_heads: 12, activation: 'gelu', pad_token_id: 0 };

/** DistilBERT's own key names (its config maps hidden_size → dim and so on). */
const DISTILBERT_SIZE_KEYS: SizeKeys = {
  hidden: 'dim',
  layers: 'n_layers',
  heads: 'n_heads',
  mlp: 'hidden_dim',
  activation: 'activation',
};

/** What a text config.json says beyond Strata's config. */
export interface TextSpec {
  config: TextConfig;
  notes: string[];
  /** BERT, RoBERTa: rows of `token_type_embeddings` (row 0 is folded into the positions). */
  typeVocabSize?: number;
  /** DistilBERT `sinusoidal_pos_embds`: the position table may be left out and is then computed. */
  sinusoidalPositions?: boolean;
}

function readVocab(keys: KeyReader, json: Record<string, unknown>) {
  const vocabSize = keys.required('vocab_size', 'the rows of word_embeddings');
  const pad = json.pad_token_id === null ? 0 : keys.nonNegative('pad_token_id');
  if (pad >= vocabSize) {
    throw new Error(
      `${keys.file}: key "pad_token_id" is ${pad}, expected an id below vocab_size = ${vocabSize}`,
    );
  }
  return { vocabSize, padTokenId: pad };
}

/** BERT-family options Strata cannot express: relative positions, decoders. */
function refuseBertOptions(keys: KeyReader, json: Record<string, unknown>) {
  const positionType = json.position_embedding_type;
  if (positionType !== undefined && positionType !== null && positionType !== 'absolute') {
    keys.unsupported('position_embedding_type', 'expected "absolute" (learned positions)');
  }
  if (json.is_decoder === true) {
    keys.unsupported('is_decoder', 'a decoder attends causally; Strata reads encoders');
  }
}

const POST_LN_TEXT = {
  architecture: 'text' as const,
  norm: 'post' as const,
  qkvBias: true,
  embeddingNorm: true,
  finalNorm: false,
  pooler: true,
  classToken: false,
};

export function bertSpec(json: Record<string, unknown>, file: string): TextSpec {
  const keys = keyReader(json, BERT_DEFAULTS, file);
  refuseBertOptions(keys, json);
  const typeVocabSize = keys.required('type_vocab_size', 'the rows of token_type_embeddings');
  const config: TextConfig = {
    ...POST_LN_TEXT,
    ...readBase(keys, readLabels(json, file)),
    ...readVocab(keys, json),
    maxLength: keys.required('max_position_embeddings', 'the rows of position_embeddings'),
  };
  const notes = [
    'token-type embedding row 0 is added to the position embeddings (every token has type 0)',
    'the pooler (dense + tanh on token 0) is part of the shared classifier',
  ];
  return { config, notes, typeVocabSize };
}

/**
 * RoBERTa and XLM-R (the same network): BERT's blocks, positions counted after the padding id,
 * and a classification head dense + tanh + out_proj on the <s> token, which is BERT's pooler
 * followed by its classifier, so Strata's shared head g holds it as pooler + classifier.
 */
export function robertaSpec(json: Record<string, unknown>, file: string): TextSpec {
  const keys = keyReader(json, ROBERTA_DEFAULTS, file);
  refuseBertOptions(keys, json);
  if (json.pad_token_id === null) {
    throw new Error(
      `${file}: key "pad_token_id" is null, expected an id: RoBERTa counts positions after the padding id`,
    );
  }
  const typeVocabSize = keys.required('type_vocab_size', 'the rows of token_type_embeddings');
  const vocab = readVocab(keys, json);
  const rows = keys.required('max_position_embeddings', 'the rows of position_embeddings');
  if (rows < vocab.padTokenId + 2) {
    throw new Error(
      `${file}: key "max_position_embeddings" is ${rows}, expected at least pad_token_id + 2 = ${vocab.padTokenId + 2} (RoBERTa's positions start after the padding id)`,
    );
  }
  const config: TextConfig = {
    ...POST_LN_TEXT,
    ...readBase(keys, readLabels(json, file)),
    ...vocab,
    maxLength: rows - vocab.padTokenId - 1,
    positionsAfterPadding: true,
  };
  const notes = [
    `positions count from pad_token_id + 1 = ${vocab.padTokenId + 1}, so at most ${config.maxLength} tokens fit; pad tokens take position ${vocab.padTokenId}`,
    'token-type embedding row 0 is added to the position embeddings (every token has type 0)',
    'the classification head (dense + tanh, then out_proj, on token 0) is the shared classifier: its dense layer is the pooler',
  ];
  return { config, notes, typeVocabSize };
}

/** DistilBERT: attribute aliases transformers accepts must agree with DistilBERT's own keys. */
function checkDistilBertAliases(json: Record<string, unknown>, file: string) {
  const aliases = [
    ['hidden_size', 'dim'],
    ['num_attention_heads', 'n_heads'],
    ['num_hidden_layers', 'n_layers'],
  ] as const;
  for (const [alias, key] of aliases) {
    if (json[alias] !== undefined && json[key] !== undefined && json[alias] !== json[key]) {
      throw new Error(
        `${file}: key "${alias}" is ${JSON.stringify(json[alias])} but "${key}" is ${JSON.stringify(json[key])}; DistilBERT reads "${key}", expected the two to agree`,
      );
    }
  }
}

/**
 * DistilBERT: post-LN blocks with LayerNorm ε fixed at 1e-12 (transformers ignores any
 * layer_norm_eps), no token types, and pre_classifier + ReLU + classifier on token 0, held by
 * Strata's shared head as pooler (ReLU) + classifier.
 */
export function distilBertSpec(json: Record<string, unknown>, file: string): TextSpec {
  checkDistilBertAliases(json, file);
  const keys = keyReader(json, DISTILBERT_DEFAULTS, file);
  const sinusoidal =
    json.sinusoidal_pos_embds === undefined ? false : keys.boolean('sinusoidal_pos_embds');
  const config: TextConfig = {
    ...POST_LN_TEXT,
    ...readBase(keys, readLabels(json, file), DISTILBERT_SIZE_KEYS, 1e-12),
    ...readVocab(keys, json),
    maxLength: keys.required('max_position_embeddings', 'the rows of position_embeddings'),
    poolerActivation: 'relu',
  };
  const notes = [
    'pre_classifier (dense + ReLU on token 0) is part of the shared classifier, as its pooler',
  ];
  if (sinusoidal) {
    notes.push(
      "sinusoidal positions (sinusoidal_pos_embds): the checkpoint's table is used, or computed when it is left out; fine-tuning here trains it",
    );
  }
  return { config, notes, sinusoidalPositions: sinusoidal };
}
