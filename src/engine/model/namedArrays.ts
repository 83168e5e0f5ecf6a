import type { ModelConfig } from './config';
import { variableFrom } from './init';
import { buildParams, paramEntries, paramSpecs, type ModelParams, type ParamSpec } from './params';

/**
 * One tensor of a checkpoint, by its Hugging Face name, in torch layout. It is also a float32
 * `NamedArray` of `src/engine/io`, so the writers there take it as it is.
 */
export interface NamedArray {
  name: string;
  dtype: 'float32';
  shape: number[];
  data: Float32Array;
}

/** What {@link paramsFromNamedArrays} accepts: any numeric data, decoded to float32. */
export interface NamedArrayInput {
  name: string;
  shape: readonly number[];
  data: ArrayLike<number>;
}

export interface FromNamedArraysOptions {
  /** Named in errors, e.g. the checkpoint's file name. Default `checkpoint`. */
  source?: string;
  /** Throw on tensors the config does not use (default false: they are ignored). */
  strict?: boolean;
}

function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** Row-major transpose of a [rows, cols] matrix. */
function transpose2d(data: ArrayLike<number>, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  }
  return out;
}

/** torch [out, in] (or Conv2d [D, C, P, P] viewed as [D, C·P·P]) → ours [in, out], and back. */
export function toRecordLayout(spec: ParamSpec, data: ArrayLike<number>): Float32Array {
  if (spec.layout === 'plain') return Float32Array.from(data);
  const [inDim, outDim] = spec.shape;
  return transpose2d(data, outDim, inDim);
}

function toTorchLayout(spec: ParamSpec, data: ArrayLike<number>): Float32Array {
  if (spec.layout === 'plain') return Float32Array.from(data);
  const [inDim, outDim] = spec.shape;
  return transpose2d(data, inDim, outDim);
}

/**
 * Reads the parameters out into Hugging Face names and torch layouts, in checkpoint order, so
 * that a ViT written from them is a `ViTForImageClassification` checkpoint.
 */
export async function paramsToNamedArrays(
  params: ModelParams,
  config: ModelConfig,
): Promise<NamedArray[]> {
  const out: NamedArray[] = [];
  for (const { spec, variable } of paramEntries(params, config)) {
    // sync point: checkpoint export reads every variable back once.
    const values = (await variable.data()) as Float32Array;
    out.push({
      name: spec.name,
      dtype: 'float32',
      shape: [...spec.torchShape],
      data: toTorchLayout(spec, values),
    });
  }
  return out;
}

/** The checkpoint tensors `config` needs, with their expected shapes (torch layout). */
export function expectedTensors(config: ModelConfig): { name: string; shape: number[] }[] {
  return paramSpecs(config).map((s) => ({ name: s.name, shape: [...s.torchShape] }));
}

function checkArray(
  spec: ParamSpec,
  array: NamedArrayInput | undefined,
  source: string,
): NamedArrayInput {
  if (!array) {
    throw new Error(
      `${source}: tensor ${spec.name} is missing, expected shape ${formatShape(spec.torchShape)}`,
    );
  }
  const sameShape =
    array.shape.length === spec.torchShape.length &&
    array.shape.every((n, i) => n === spec.torchShape[i]);
  if (!sameShape) {
    throw new Error(
      `${source}: tensor ${spec.name} has shape ${formatShape(array.shape)}, expected ${formatShape(spec.torchShape)}`,
    );
  }
  const size = spec.torchShape.reduce((a, b) => a * b, 1);
  if (array.data.length !== size) {
    throw new Error(
      `${source}: tensor ${spec.name} holds ${array.data.length} values, expected ${size}`,
    );
  }
  for (let i = 0; i < size; i++) {
    if (!Number.isFinite(array.data[i])) {
      throw new Error(
        `${source}: tensor ${spec.name} has a non-finite value (${array.data[i]}) at flat index ${i}`,
      );
    }
  }
  return array;
}

/**
 * Builds parameters from named arrays (Hugging Face names, torch layouts). Every tensor `config`
 * needs must be present with its exact shape and finite values; otherwise an Error names the
 * tensor, its shape and the expected one. Nothing is allocated when an error is thrown.
 */
export function paramsFromNamedArrays(
  arrays: readonly NamedArrayInput[],
  config: ModelConfig,
  options: FromNamedArraysOptions = {},
): ModelParams {
  const source = options.source ?? 'checkpoint';
  const byName = new Map(arrays.map((a) => [a.name, a]));
  const specs = paramSpecs(config);
  const values = new Map<string, Float32Array>();
  for (const spec of specs) {
    values.set(
      spec.name,
      toRecordLayout(spec, checkArray(spec, byName.get(spec.name), source).data),
    );
  }
  if (options.strict) {
    const used = new Set(specs.map((s) => s.name));
    const unused = arrays.map((a) => a.name).filter((n) => !used.has(n));
    if (unused.length > 0) {
      throw new Error(
        `${source}: ${unused.length} tensor(s) this model does not use: ${unused.slice(0, 5).join(', ')}`,
      );
    }
  }
  return buildParams(config, (spec) => variableFrom(values.get(spec.name)!, spec.shape));
}
