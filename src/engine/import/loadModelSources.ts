// The streamed loader of a checkpoint folder (Strata's own or Hugging Face's): config.json in
// memory, the weights (one file or shards) read tensor by tensor into the backend.
import { checkTensorFitsDevice } from '../gpuLimits';
import { configFromJson } from '../model/configJson';
import { paramsFromTensorReads, type TensorRead } from '../model/streamedParams';
import { elementCount, ITEM_SIZE } from '../io/dtypes';
import { paramSpecs } from '../model/params';
import { openWeights, type TensorHandle, type WeightFiles } from './checkpointWeights';
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
  /** Tensors uploaded of all, and the bytes of the file(s) read of all. */
  onProgress?: (done: number, total: number, bytes: { done: number; total: number }) => void;
  /** Stops before the next tensor's read with a ReadCancelledError, freeing what was uploaded. */
  signal?: AbortSignal;
}

/** A checkpoint known from config.json and the weights' headers alone: nothing read yet. */
export interface OpenedCheckpoint extends Omit<LoadedModelFiles, 'params'> {
  /** Weights the model reads (their shapes' sizes). */
  parameters: number;
  /** Tensors the load reads, and their bytes in the files. */
  tensors: number;
  bytes: number;
  /** Streams the weights into the backend (each call loads anew). */
  load(options?: LoadSourcesOptions): Promise<LoadedModelFiles>;
}

const handleBytes = (t: TensorHandle | null | undefined) =>
  t ? elementCount(t.shape) * ITEM_SIZE[t.dtype] : 0;

/**
 * Reads config.json and the weights' headers (no tensor data) and checks that every tensor the
 * model needs is there with its shape: what a review of the checkpoint shows before any weight
 * is read. Errors name the file, the tensor and what was expected.
 */
export async function openModelSources(files: CheckpointSources): Promise<OpenedCheckpoint> {
  const json = parseConfigJson(files.config.bytes, files.config.name);
  const weights = await openWeights(files.weights);
  const file = weights.file;
  let reads: (TensorRead & { bytes: number })[];
  let opened: Omit<LoadedModelFiles, 'params'>;
  if (isStrataConfig(json)) {
    const config = configFromJson(json, files.config.name);
    reads = [...weights.tensors.values()].map((t) => ({
      name: t.name,
      shape: t.shape,
      bytes: handleBytes(t),
      read: async () => (await t.read()).data,
    }));
    opened = { config, format: 'strata', unusedTensors: [], notes: [] };
  } else {
    const spec = configFromHuggingFace(json, files.config.name);
    const { plans, unused } = planHuggingFaceWeights([...weights.tensors.values()], spec, file);
    reads = plans.map(({ name, shape, tensor, addTypeRow0, computed }) => ({
      name,
      shape,
      bytes: handleBytes(tensor) + handleBytes(addTypeRow0),
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
    opened = {
      config: spec.config,
      format: spec.architecture,
      unusedTensors: unused,
      notes: spec.notes,
    };
  }
  const wanted = new Set(paramSpecs(opened.config).map((p) => p.name));
  const used = reads.filter((r) => wanted.has(r.name));
  const bytes = used.reduce((sum, r) => sum + r.bytes, 0);
  return {
    ...opened,
    parameters: used.reduce((sum, r) => sum + elementCount(r.shape), 0),
    tensors: used.length,
    bytes,
    async load(options = {}) {
      let done = 0;
      const counted = reads.map((r): TensorRead => {
        const read = cancellable(options.signal, file)(r);
        return {
          name: r.name,
          shape: r.shape,
          async read() {
            const data = await read.read();
            done += r.bytes;
            return data;
          },
        };
      });
      const params = await paramsFromTensorReads(counted, opened.config, {
        source: file,
        beforeUpload: checkTensorFitsDevice(file),
        onProgress: (n, total) => options.onProgress?.(n, total, { done, total: bytes }),
      });
      return { ...opened, params };
    },
  };
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
  return (await openModelSources(files)).load(options);
}
