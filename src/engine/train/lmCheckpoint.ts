// A decoder fine-tune saved as classifier fine-tunes are: model.safetensors under the names
// save_pretrained writes (step in its metadata) and AdamW's moments in optimizer.safetensors, so
// a run resumes where it stopped.
import { tf } from '../tf';
import type { NamedArray } from '../io/dtypes';
import { readSafetensors, writeSafetensors } from '../io/safetensors';
import { STEP_METADATA } from '../checkpoint';
import { checkpointSpecs } from '../decoder/decoderWeights';
import type { DecoderParams } from '../decoder/decoderWeights';
import type { TrainerResume } from './trainer';
import type { LmTrainer } from './lmTrainer';

export const LM_OPTIMIZER_FILE = 'optimizer.safetensors';
const ADAM_STEP = 'adamw_step';

/** The parameters as checkpoint arrays (torch layout: linear weights back to [out, in]). */
export async function decoderNamedArrays(params: DecoderParams): Promise<NamedArray[]> {
  const out: NamedArray[] = [];
  for (const s of checkpointSpecs(params.config)) {
    const t = params.tensors.get(s.key);
    if (!t) throw new Error(`decoderNamedArrays: tensor ${s.key} (${s.name}) is missing`);
    const torch = s.transpose ? tf.transpose(t) : t;
    const data = (await torch.data()) as Float32Array; // sync point: one readback per tensor
    if (torch !== t) torch.dispose();
    out.push({ name: s.name, dtype: 'float32', shape: [...s.shape], data });
  }
  return out;
}

/**
 * model.safetensors and optimizer.safetensors of a run at `step`. The moments are copied before
 * any readback, so the bytes are of one step.
 */
export async function saveLmCheckpoint(
  params: DecoderParams,
  trainer: LmTrainer,
  metadata: Record<string, string> = {},
): Promise<{ weights: Uint8Array; optimizer: Uint8Array }> {
  const step = trainer.step;
  const moments = trainer.captureOptimizer();
  try {
    const arrays = await decoderNamedArrays(params);
    const weights = writeSafetensors(arrays, {
      format: 'pt',
      ...metadata,
      [STEP_METADATA]: String(step),
    });
    const keys = [...params.tensors.keys()];
    const names = new Map(checkpointSpecs(params.config).map((s) => [s.key, s.name]));
    const moment = async (prefix: string, list: tf.Tensor[]): Promise<NamedArray[]> =>
      Promise.all(
        list.map(async (t, i) => ({
          name: `${prefix}.${names.get(keys[i]) ?? keys[i]}`,
          dtype: 'float32' as const,
          shape: [...t.shape],
          data: (await t.data()) as Float32Array,
        })),
      );
    const optimizer = writeSafetensors(
      [...(await moment('m', moments.m)), ...(await moment('v', moments.v))],
      { [ADAM_STEP]: String(moments.step), [STEP_METADATA]: String(step) },
    );
    return { weights, optimizer };
  } finally {
    tf.dispose([...moments.m, ...moments.v]);
  }
}

/**
 * Where a saved run stood, from its optimizer.safetensors, for parameters loaded from the same
 * folder's weights (in the loader's order). Errors name `file` and the tensor.
 */
export function lmResume(
  optimizerBytes: Uint8Array,
  params: DecoderParams,
  file: string,
): TrainerResume {
  const { tensors, metadata } = readSafetensors(optimizerBytes, file);
  const count = (key: string): number => {
    const v = Number(metadata[key]);
    if (!Number.isSafeInteger(v) || v < 0)
      throw new Error(
        `${file}: metadata "${key}" is ${metadata[key]}, expected a whole number ≥ 0`,
      );
    return v;
  };
  const byName = new Map(tensors.map((t) => [t.name, t]));
  const names = new Map(checkpointSpecs(params.config).map((s) => [s.key, s.name]));
  const pick = (prefix: string) =>
    [...params.tensors].map(([key, t]) => {
      const name = `${prefix}.${names.get(key) ?? key}`;
      const a = byName.get(name);
      if (!a) throw new Error(`${file}: tensor "${name}" is missing`);
      if (a.dtype !== 'float32' || a.data.length !== t.size)
        throw new Error(
          `${file}: tensor "${name}" is ${a.dtype} with ${a.data.length} values, expected float32 with ${t.size}`,
        );
      return a.data as Float32Array;
    });
  return {
    step: count(STEP_METADATA),
    optimizer: { step: count(ADAM_STEP), m: pick('m'), v: pick('v') },
  };
}
