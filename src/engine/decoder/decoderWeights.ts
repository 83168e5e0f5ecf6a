// A decoder's tensors read one at a time from a checkpoint's weights (one file or shards) into the
// layout the forward pass uses: every matrix [in, out], the vocabulary projection [D, V].
import { tf } from '../tf';
import type { Tensor } from '../tf';
import type { CheckpointWeights } from '../import/checkpointWeights';
import { checkFinite } from '../import/hfWeights';
import type { DecoderConfig } from './decoderConfig';

/** A decoder's tensors by Strata's short names (`wte`, `0.q`, `unembed`, …). */
export interface DecoderParams {
  config: DecoderConfig;
  tensors: Map<string, Tensor>;
}

/**
 * One tensor to read: its short name, its checkpoint name and torch shape, and whether it is
 * transposed on upload (`linear`: torch [out, in] → [in, out]; GPT-2's Conv1D is already [in, out]).
 */
export interface TensorSpec {
  key: string;
  name: string;
  shape: number[];
  transpose: boolean;
}

function gpt2Specs(c: DecoderConfig, p: string): TensorSpec[] {
  const d = c.hiddenSize;
  const plain = (key: string, name: string, shape: number[]) => ({
    key,
    name: p + name,
    shape,
    transpose: false,
  });
  const specs = [
    { key: 'unembed', name: `${p}wte.weight`, shape: [c.vocabSize, d], transpose: true },
    plain('wpe', 'wpe.weight', [c.maxPositions, d]),
  ];
  for (let i = 0; i < c.numLayers; i++) {
    const b = `h.${i}.`;
    specs.push(
      plain(`${i}.ln1.w`, `${b}ln_1.weight`, [d]),
      plain(`${i}.ln1.b`, `${b}ln_1.bias`, [d]),
      plain(`${i}.qkv.w`, `${b}attn.c_attn.weight`, [d, 3 * d]),
      plain(`${i}.qkv.b`, `${b}attn.c_attn.bias`, [3 * d]),
      plain(`${i}.o.w`, `${b}attn.c_proj.weight`, [d, d]),
      plain(`${i}.o.b`, `${b}attn.c_proj.bias`, [d]),
      plain(`${i}.ln2.w`, `${b}ln_2.weight`, [d]),
      plain(`${i}.ln2.b`, `${b}ln_2.bias`, [d]),
      plain(`${i}.fc.w`, `${b}mlp.c_fc.weight`, [d, c.mlpSize]),
      plain(`${i}.fc.b`, `${b}mlp.c_fc.bias`, [c.mlpSize]),
      plain(`${i}.proj.w`, `${b}mlp.c_proj.weight`, [c.mlpSize, d]),
      plain(`${i}.proj.b`, `${b}mlp.c_proj.bias`, [d]),
    );
  }
  specs.push(plain('norm.w', 'ln_f.weight', [d]), plain('norm.b', 'ln_f.bias', [d]));
  if (c.numClasses !== undefined)
    specs.push({ key: 'score', name: 'score.weight', shape: [c.numClasses, d], transpose: true });
  return specs;
}

function llamaSpecs(c: DecoderConfig): TensorSpec[] {
  const d = c.hiddenSize;
  const [q, kv] = [c.numHeads * c.headDim, c.numKvHeads * c.headDim];
  const lin = (key: string, name: string, shape: number[]) => ({
    key,
    name,
    shape,
    transpose: true,
  });
  const plain = (key: string, name: string, shape: number[]) => ({
    key,
    name,
    shape,
    transpose: false,
  });
  const specs: TensorSpec[] = [
    c.tiedHead
      ? lin('unembed', 'model.embed_tokens.weight', [c.vocabSize, d])
      : plain('wte', 'model.embed_tokens.weight', [c.vocabSize, d]),
  ];
  for (let i = 0; i < c.numLayers; i++) {
    const b = `model.layers.${i}.`;
    specs.push(
      plain(`${i}.ln1.w`, `${b}input_layernorm.weight`, [d]),
      lin(`${i}.q.w`, `${b}self_attn.q_proj.weight`, [q, d]),
      lin(`${i}.k.w`, `${b}self_attn.k_proj.weight`, [kv, d]),
      lin(`${i}.v.w`, `${b}self_attn.v_proj.weight`, [kv, d]),
    );
    if (c.qkvBias)
      specs.push(
        plain(`${i}.q.b`, `${b}self_attn.q_proj.bias`, [q]),
        plain(`${i}.k.b`, `${b}self_attn.k_proj.bias`, [kv]),
        plain(`${i}.v.b`, `${b}self_attn.v_proj.bias`, [kv]),
      );
    specs.push(
      lin(`${i}.o.w`, `${b}self_attn.o_proj.weight`, [d, q]),
      plain(`${i}.ln2.w`, `${b}post_attention_layernorm.weight`, [d]),
      lin(`${i}.gate.w`, `${b}mlp.gate_proj.weight`, [c.mlpSize, d]),
      lin(`${i}.up.w`, `${b}mlp.up_proj.weight`, [c.mlpSize, d]),
      lin(`${i}.down.w`, `${b}mlp.down_proj.weight`, [d, c.mlpSize]),
    );
  }
  specs.push(plain('norm.w', 'model.norm.weight', [d]));
  if (!c.tiedHead) specs.push(lin('unembed', 'lm_head.weight', [c.vocabSize, d]));
  return specs;
}

/** The tensors a config needs. GPT-2 checkpoints are saved with or without `transformer.`. */
function decoderSpecs(c: DecoderConfig, weights: CheckpointWeights): TensorSpec[] {
  if (c.family === 'llama') return llamaSpecs(c);
  const bare = !weights.tensors.has('transformer.wte.weight') && weights.tensors.has('wte.weight');
  return gpt2Specs(c, bare ? '' : 'transformer.');
}

/** The tensors a config needs under the names save_pretrained writes (GPT-2 under `transformer.`). */
export function checkpointSpecs(c: DecoderConfig): TensorSpec[] {
  return c.family === 'llama' ? llamaSpecs(c) : gpt2Specs(c, 'transformer.');
}

const FLOATS = ['float32', 'float64', 'float16', 'bfloat16'];
const shapeText = (s: readonly number[]) => `[${s.join(', ')}]`;

/**
 * Checks every tensor's header before reading any, then reads, checks and uploads them one by
 * one. Errors name the weights file, the tensor and what was expected; on failure what was
 * uploaded is freed. Returns the parameters and the checkpoint tensors left unused.
 */
export async function loadDecoderParams(
  config: DecoderConfig,
  weights: CheckpointWeights,
  onProgress?: (done: number, total: number) => void,
): Promise<{ params: DecoderParams; unused: string[] }> {
  const file = weights.file;
  const specs = decoderSpecs(config, weights);
  for (const s of specs) {
    const t = weights.tensors.get(s.name);
    if (!t)
      throw new Error(`${file}: tensor ${s.name} is missing, expected shape ${shapeText(s.shape)}`);
    if (!FLOATS.includes(t.dtype))
      throw new Error(
        `${file}: tensor ${s.name} has dtype ${t.dtype}, expected a floating-point type`,
      );
    if (shapeText(t.shape) !== shapeText(s.shape))
      throw new Error(
        `${file}: tensor ${s.name} has shape ${shapeText(t.shape)}, expected ${shapeText(s.shape)}`,
      );
  }
  const tensors = new Map<string, Tensor>();
  try {
    for (const [i, s] of specs.entries()) {
      const raw = (await weights.tensors.get(s.name)!.read()).data;
      checkFinite(raw, s.name, file);
      const data = raw instanceof Float32Array ? raw : Float32Array.from(raw as ArrayLike<number>);
      tensors.set(
        s.key,
        tf.tidy(() => {
          const t = tf.tensor(data, s.shape, 'float32');
          return s.transpose ? tf.transpose(t) : t;
        }),
      );
      onProgress?.(i + 1, specs.length);
    }
  } catch (e) {
    tf.dispose([...tensors.values()]);
    throw e;
  }
  const used = new Set(specs.map((s) => s.name));
  const unused = [...weights.tensors.keys()].filter((n) => !used.has(n));
  return { params: { config, tensors }, unused };
}

export function disposeDecoderParams(params: DecoderParams): void {
  tf.dispose([...params.tensors.values()]);
  params.tensors.clear();
}
