// The built-in LM's data and files: IMDB word-level ids cut to the first V vocabulary entries,
// config.json and a Hugging Face WordLevel tokenizer.json.
import type { DataSplit } from '../../src/engine/data/types';
import {
  CLS_TOKEN,
  PAD_ID,
  SPECIAL_TOKENS,
  UNK_ID,
  UNK_TOKEN,
  type WordTokenizerSpec,
} from '../../src/engine/data/tokenizer';
import type { DecoderInput } from '../../src/engine/decoder/decoderInput';
import type { LmRecipe } from './lmRecipe';

/** A split's rows as decoder input: ids ≥ V become [UNK], [PAD] is masked out. */
export function lmInput(split: DataSplit, seqLen: number, vocabSize: number): DecoderInput {
  const n = split.n;
  const ids = new Int32Array(n * seqLen);
  const mask = new Float32Array(n * seqLen);
  for (let i = 0; i < n * seqLen; i++) {
    const id = split.x[i];
    ids[i] = id >= vocabSize ? UNK_ID : id;
    mask[i] = id === PAD_ID ? 0 : 1;
  }
  return { n, t: seqLen, ids, mask };
}

/** config.json as GPT2LMHeadModel.save_pretrained writes it (tied head, no dropout at read). */
export function lmConfigJson(r: LmRecipe): Record<string, unknown> {
  return {
    architectures: ['GPT2LMHeadModel'],
    model_type: 'gpt2',
    vocab_size: r.vocabSize,
    n_positions: r.positions,
    n_embd: r.hiddenSize,
    n_layer: r.numLayers,
    n_head: r.numHeads,
    n_inner: null,
    activation_function: 'gelu_new',
    layer_norm_epsilon: 1e-5,
    initializer_range: r.initStd,
    resid_pdrop: 0,
    embd_pdrop: 0,
    attn_pdrop: 0,
    scale_attn_weights: true,
    tie_word_embeddings: true,
    bos_token_id: SPECIAL_TOKENS.indexOf(CLS_TOKEN),
    eos_token_id: SPECIAL_TOKENS.indexOf(CLS_TOKEN),
    pad_token_id: PAD_ID,
    torch_dtype: 'float32',
  };
}

/**
 * A Hugging Face WordLevel tokenizer.json over the first V entries of Strata's word-level
 * vocabulary that splits and normalises as Strata's tokenizer does: lowercase, HTML line breaks
 * to spaces, words and single punctuation marks, [CLS] first.
 */
export function wordLevelTokenizerJson(spec: WordTokenizerSpec, vocabSize: number): object {
  const vocab: Record<string, number> = {};
  spec.vocab.slice(0, vocabSize).forEach((w, i) => (vocab[w] = i));
  const cls = SPECIAL_TOKENS.indexOf(CLS_TOKEN);
  return {
    version: '1.0',
    truncation: {
      direction: 'Right',
      max_length: spec.seqLen,
      strategy: 'LongestFirst',
      stride: 0,
    },
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((content, id) => ({
      id,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: {
      type: 'Sequence',
      normalizers: [
        ...(spec.lowercase ? [{ type: 'Lowercase' }] : []),
        ...(spec.stripHtmlBreaks
          ? [{ type: 'Replace', pattern: { Regex: '<[bB][rR]\\s*/?>' }, content: ' ' }]
          : []),
      ],
    },
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        { type: 'WhitespaceSplit' },
        { type: 'Split', pattern: { Regex: spec.pattern }, behavior: 'Isolated', invert: false },
      ],
    },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: CLS_TOKEN, type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: CLS_TOKEN, type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
      ],
      special_tokens: { [CLS_TOKEN]: { id: CLS_TOKEN, ids: [cls], tokens: [CLS_TOKEN] } },
    },
    decoder: null,
    model: { type: 'WordLevel', vocab, unk_token: UNK_TOKEN },
  };
}

/**
 * tokenizer_config.json: the special tokens by name. tokenizers.js reads a WordLevel model's
 * [UNK] from here (it has no WordLevel class of its own), transformers its class and length.
 */
export function tokenizerConfigJson(spec: WordTokenizerSpec): object {
  return {
    tokenizer_class: 'PreTrainedTokenizerFast',
    unk_token: UNK_TOKEN,
    pad_token: SPECIAL_TOKENS[PAD_ID],
    bos_token: CLS_TOKEN,
    model_max_length: spec.seqLen,
  };
}
