// A Hugging Face config.json of a decoder language model (GPT-2, Llama, Qwen2) read into the
// shape Strata's decoder forward pass needs.

/** The decoder classes Strata reads, with their `model_type`. */
export const DECODER_ARCHITECTURES = {
  GPT2LMHeadModel: 'gpt2',
  GPT2ForSequenceClassification: 'gpt2',
  LlamaForCausalLM: 'llama',
  Qwen2ForCausalLM: 'qwen2',
} as const;

export type DecoderArchitecture = keyof typeof DECODER_ARCHITECTURES;

export interface DecoderConfig {
  architecture: DecoderArchitecture;
  /** `gpt2`: LayerNorm, learned positions, one MLP; `llama`: RMSNorm, RoPE, SwiGLU (Qwen2 too). */
  family: 'gpt2' | 'llama';
  vocabSize: number;
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  /** Key/value heads (grouped-query attention); numHeads is a multiple of it. */
  numKvHeads: number;
  headDim: number;
  mlpSize: number;
  normEps: number;
  /** GPT-2's MLP activation. */
  activation: 'gelu' | 'gelu_tanh' | 'relu' | 'silu';
  /** Biases on q/k/v (GPT-2 and Qwen2). */
  qkvBias: boolean;
  /** GPT-2: rows of the position table. */
  maxPositions: number;
  ropeTheta: number;
  /** Linear RoPE scaling: positions are divided by it (1 = none). */
  ropeFactor: number;
  /** The LM head is the token table (no lm_head.weight). */
  tiedHead: boolean;
  /** GPT2ForSequenceClassification: classes of `score`, and the id it pools after. */
  numClasses?: number;
  padTokenId?: number;
}

const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/** Whether a parsed config.json names a decoder architecture Strata reads. */
export function isDecoderConfig(json: unknown): boolean {
  if (!isObject(json) || !Array.isArray(json.architectures)) return false;
  return (
    json.architectures.length === 1 && Object.hasOwn(DECODER_ARCHITECTURES, json.architectures[0])
  );
}

function reader(json: Record<string, unknown>, file: string) {
  const fail = (key: string, expected: string): never => {
    throw new Error(`${file}: key "${key}" is ${JSON.stringify(json[key])}, expected ${expected}`);
  };
  const int = (key: string, fallback?: number): number => {
    const v = json[key] ?? fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0)
      return fail(key, 'a positive integer');
    return v;
  };
  const num = (key: string, fallback: number): number => {
    const v = json[key] ?? fallback;
    if (typeof v !== 'number' || !(v > 0)) return fail(key, 'a number > 0');
    return v;
  };
  const bool = (key: string, fallback: boolean): boolean => {
    const v = json[key] ?? fallback;
    if (typeof v !== 'boolean') return fail(key, 'true or false');
    return v;
  };
  return { fail, int, num, bool };
}

const GPT2_ACTIVATIONS: Record<string, DecoderConfig['activation']> = {
  gelu_new: 'gelu_tanh',
  gelu_pytorch_tanh: 'gelu_tanh',
  gelu: 'gelu',
  relu: 'relu',
};

function gpt2Config(json: Record<string, unknown>, file: string, arch: DecoderArchitecture) {
  const keys = reader(json, file);
  const d = keys.int('n_embd');
  const heads = keys.int('n_head', 12);
  if (d % heads !== 0) keys.fail('n_head', `a divisor of n_embd = ${d}`);
  const act = GPT2_ACTIVATIONS[String(json.activation_function ?? 'gelu_new')];
  if (!act) keys.fail('activation_function', `one of ${Object.keys(GPT2_ACTIVATIONS).join(', ')}`);
  for (const key of [
    'scale_attn_by_inverse_layer_idx',
    'reorder_and_upcast_attn',
    'add_cross_attention',
  ]) {
    if (json[key] === true) keys.fail(key, 'false (Strata reads plain GPT-2 attention)');
  }
  if (json.scale_attn_weights === false) keys.fail('scale_attn_weights', 'true');
  const config: DecoderConfig = {
    architecture: arch,
    family: 'gpt2',
    vocabSize: keys.int('vocab_size'),
    hiddenSize: d,
    numLayers: keys.int('n_layer'),
    numHeads: heads,
    numKvHeads: heads,
    headDim: d / heads,
    mlpSize: json.n_inner === null || json.n_inner === undefined ? 4 * d : keys.int('n_inner'),
    normEps: keys.num('layer_norm_epsilon', 1e-5),
    activation: act,
    qkvBias: true,
    maxPositions: keys.int('n_positions'),
    ropeTheta: 10000,
    ropeFactor: 1,
    tiedHead: true,
  };
  if (arch === 'GPT2ForSequenceClassification') {
    config.numClasses = isObject(json.id2label)
      ? Object.keys(json.id2label).length
      : keys.int('num_labels', 2);
    if (json.pad_token_id === null || json.pad_token_id === undefined)
      keys.fail('pad_token_id', 'an id: the classifier reads the last token before padding');
    config.padTokenId = keys.int('pad_token_id');
  }
  return config;
}

/** RoPE θ and linear factor from `rope_parameters` (transformers 5) or `rope_theta`/`rope_scaling`. */
function readRope(json: Record<string, unknown>, file: string): { theta: number; factor: number } {
  const params = isObject(json.rope_parameters) ? json.rope_parameters : undefined;
  const scaling = params ?? (isObject(json.rope_scaling) ? json.rope_scaling : undefined);
  const key = params ? 'rope_parameters' : 'rope_scaling';
  const theta = params?.rope_theta ?? json.rope_theta ?? 10000;
  if (typeof theta !== 'number' || !(theta > 0))
    throw new Error(`${file}: key "rope_theta" is ${JSON.stringify(theta)}, expected a number > 0`);
  const type = scaling ? (scaling.rope_type ?? scaling.type ?? 'default') : 'default';
  if (type === 'default') return { theta, factor: 1 };
  if (type !== 'linear')
    throw new Error(
      `${file}: key "${key}" has rope_type ${JSON.stringify(type)}, expected "default" or "linear" (the RoPE scalings Strata reads)`,
    );
  const factor = scaling!.factor;
  if (typeof factor !== 'number' || !(factor > 0))
    throw new Error(
      `${file}: key "${key}" has factor ${JSON.stringify(factor)}, expected a number > 0`,
    );
  return { theta, factor };
}

function llamaConfig(json: Record<string, unknown>, file: string, arch: DecoderArchitecture) {
  const keys = reader(json, file);
  const qwen = arch === 'Qwen2ForCausalLM';
  const d = keys.int('hidden_size');
  const heads = keys.int('num_attention_heads');
  const kv = keys.int('num_key_value_heads', heads);
  if (heads % kv !== 0)
    keys.fail('num_key_value_heads', `a divisor of num_attention_heads = ${heads}`);
  const headDim =
    json.head_dim === null || json.head_dim === undefined ? d / heads : keys.int('head_dim');
  if (!Number.isInteger(headDim))
    keys.fail('num_attention_heads', `a divisor of hidden_size = ${d}`);
  if ((json.hidden_act ?? 'silu') !== 'silu') keys.fail('hidden_act', '"silu" (SwiGLU)');
  if (!qwen && json.attention_bias === true) keys.fail('attention_bias', 'false');
  if (json.mlp_bias === true) keys.fail('mlp_bias', 'false');
  if (qwen && json.use_sliding_window === true)
    keys.fail('use_sliding_window', 'false (Strata attends over the whole sequence)');
  if (json.pretraining_tp !== undefined && json.pretraining_tp !== 1)
    keys.fail('pretraining_tp', '1');
  const rope = readRope(json, file);
  return {
    architecture: arch,
    family: 'llama',
    vocabSize: keys.int('vocab_size'),
    hiddenSize: d,
    numLayers: keys.int('num_hidden_layers'),
    numHeads: heads,
    numKvHeads: kv,
    headDim,
    mlpSize: keys.int('intermediate_size'),
    normEps: keys.num('rms_norm_eps', 1e-6),
    activation: 'silu',
    qkvBias: qwen,
    maxPositions: keys.int('max_position_embeddings', 2048),
    ropeTheta: rope.theta,
    ropeFactor: rope.factor,
    tiedHead: keys.bool('tie_word_embeddings', false),
  } satisfies DecoderConfig;
}

/**
 * Reads a parsed config.json of a GPT-2, Llama or Qwen2 decoder. Keys that fix weight shapes are
 * required, others take transformers' defaults; an option Strata cannot compute (another RoPE
 * scaling, sliding windows, biases Llama lacks) throws an Error naming `file` and the key.
 */
export function decoderConfigFromHuggingFace(json: unknown, file: string): DecoderConfig {
  if (!isObject(json) || !isDecoderConfig(json))
    throw new Error(
      `${file}: expected "architectures" to be one of ${Object.keys(DECODER_ARCHITECTURES).join(', ')}`,
    );
  const arch = (json.architectures as string[])[0] as DecoderArchitecture;
  const type = DECODER_ARCHITECTURES[arch];
  if (json.model_type !== undefined && json.model_type !== type)
    throw new Error(
      `${file}: model_type ${JSON.stringify(json.model_type)} does not match architecture ${arch}, expected "${type}"`,
    );
  return type === 'gpt2' ? gpt2Config(json, file, arch) : llamaConfig(json, file, arch);
}

/** Throws, naming `where`, unless the checkpoint is a causal LM (no classification head). */
export function requireCausalLm(config: DecoderConfig, where: string): void {
  if (config.numClasses !== undefined)
    throw new Error(
      `${where}: ${config.architecture} has a classification head, expected a language model (GPT2LMHeadModel, LlamaForCausalLM, Qwen2ForCausalLM)`,
    );
}
