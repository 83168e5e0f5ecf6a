// Parameters built tensor by tensor from a checkpoint read on demand: each tensor is read,
// checked, put in Strata's layout and uploaded before the next is read, so a load holds the model
// once (its variables) plus one tensor in flight, never the file and a second copy.
import type { ModelConfig } from './config';
import { variableFrom } from './init';
import { toRecordLayout } from './namedArrays';
import { buildParams, paramSpecs, type ModelParams } from './params';
import type { Variable } from '../tf';

/** One Strata tensor (Hugging Face name, torch layout) and how to read its values. */
export interface TensorRead {
  name: string;
  shape: readonly number[];
  read(): Promise<ArrayLike<number>>;
}

export interface StreamedParamsOptions {
  /** Named in errors, e.g. the weights file. */
  source: string;
  /** Called before a tensor of `bytes` (float32) is uploaded; throws when it cannot be. */
  beforeUpload?: (name: string, bytes: number) => void;
  /** Tensors done of all. */
  onProgress?: (done: number, total: number) => void;
}

const formatShape = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/**
 * Builds parameters from one read per tensor `config` needs. Missing or mis-shaped tensors (and
 * `beforeUpload`'s refusals) are found before anything is read; a non-finite value after some
 * tensors are uploaded disposes them. Errors name `source` and the tensor.
 */
export async function paramsFromTensorReads(
  reads: readonly TensorRead[],
  config: ModelConfig,
  options: StreamedParamsOptions,
): Promise<ModelParams> {
  const { source } = options;
  const byName = new Map(reads.map((r) => [r.name, r]));
  const specs = paramSpecs(config);
  for (const spec of specs) {
    const read = byName.get(spec.name);
    const want = formatShape(spec.torchShape);
    if (!read) throw new Error(`${source}: tensor ${spec.name} is missing, expected shape ${want}`);
    if (formatShape(read.shape) !== want)
      throw new Error(
        `${source}: tensor ${spec.name} has shape ${formatShape(read.shape)}, expected ${want}`,
      );
    options.beforeUpload?.(spec.name, 4 * spec.torchShape.reduce((a, b) => a * b, 1));
  }
  const variables = new Map<string, Variable>();
  try {
    for (const [i, spec] of specs.entries()) {
      const data = await byName.get(spec.name)!.read();
      for (let k = 0; k < data.length; k++) {
        if (!Number.isFinite(data[k]))
          throw new Error(
            `${source}: tensor ${spec.name} has a non-finite value (${data[k]}) at flat index ${k}`,
          );
      }
      variables.set(spec.name, variableFrom(toRecordLayout(spec, data), spec.shape));
      options.onProgress?.(i + 1, specs.length);
    }
  } catch (e) {
    for (const variable of variables.values()) variable.dispose();
    throw e;
  }
  return buildParams(config, (spec) => variables.get(spec.name)!);
}
