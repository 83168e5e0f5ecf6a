// The streamed loader of a checkpoint folder (Strata's own or Hugging Face's): config.json in
// memory, the weights (one file or shards) read tensor by tensor into the backend.
import { checkTensorFitsDevice } from '../gpuLimits';
import { configFromJson } from '../model/configJson';
import { paramsFromTensorReads, type TensorRead } from '../model/streamedParams';
import { openWeights, type WeightFiles } from './checkpointWeights';
import { configFromHuggingFace } from './hfConfig';
import { checkFinite, foldTokenTypes, planHuggingFaceWeights } from './hfWeights';
import { parseConfigJson } from './huggingface';
import { isStrataConfig, type LoadedModelFiles } from './loadModelFiles';
import { throwIfCancelled } from './readCancel';

/** A read that first checks `signal`: a cancelled import stops between tensors. */
const cancellable =
  (signal: AbortSignal | undefined, file: string) =>
  (read: TensorRead): TensorRead => ({
    ...read,
    read: () => {
      throwIfCancelled(signal, file);
      return read.read();
    },
  });

/** A checkpoint to stream: config.json's bytes and name, and where the weights are. */
export interface CheckpointSources {
  config: { name: string; bytes: Uint8Array };
  weights: WeightFiles;
}

export interface LoadSourcesOptions {
  /** Tensors uploaded of all. */
  onProgress?: (done: number, total: number) => void;
  /** Stops before the next tensor's read with a ReadCancelledError, freeing what was uploaded. */
  signal?: AbortSignal;
}

/**
 * Loads a checkpoint as {@link loadModelFiles} does, reading one tensor at a time (so memory holds
 * the model once plus one tensor), from one model.safetensors or the shards of an index. Errors
 * name the file (the index for shards), the tensor and what was expected; on WebGPU a tensor
 * beyond the device's buffer limits is refused before anything is uploaded.
 */
export async function loadModelSources(
  files: CheckpointSources,
  options: LoadSourcesOptions = {},
): Promise<LoadedModelFiles> {
  const json = parseConfigJson(files.config.bytes, files.config.name);
  const weights = await openWeights(files.weights);
  const file = weights.file;
  const load = (reads: TensorRead[], config: LoadedModelFiles['config']) =>
    paramsFromTensorReads(reads.map(cancellable(options.signal, file)), config, {
      source: file,
      beforeUpload: checkTensorFitsDevice(file),
      onProgress: options.onProgress,
    });
  if (isStrataConfig(json)) {
    const config = configFromJson(json, files.config.name);
    const reads = [...weights.tensors.values()].map((t) => ({
      name: t.name,
      shape: t.shape,
      read: async () => (await t.read()).data,
    }));
    const params = await load(reads, config);
    return { config, params, format: 'strata', unusedTensors: [], notes: [] };
  }
  const spec = configFromHuggingFace(json, files.config.name);
  const { plans, unused } = planHuggingFaceWeights([...weights.tensors.values()], spec, file);
  const reads = plans.map(({ name, shape, tensor, addTypeRow0, computed }): TensorRead => ({
    name,
    shape,
    async read() {
      if (!tensor) return computed!();
      const data = (await tensor.read()).data;
      checkFinite(data, tensor.name, file);
      if (!addTypeRow0) return data;
      const types = (await addTypeRow0.read()).data;
      checkFinite(types, addTypeRow0.name, file);
      return foldTokenTypes(data, types, shape[1]);
    },
  }));
  const params = await load(reads, spec.config);
  return {
    config: spec.config,
    params,
    format: spec.architecture,
    unusedTensors: unused,
    notes: spec.notes,
  };
}
