import {
  checkNamedArray,
  elementCount,
  formatShape,
  ITEM_SIZE,
  type DType,
  type NamedArray,
} from './dtypes';
import { findDuplicateJsonKey, type DuplicateJsonKey } from './duplicateJsonKey';
import { decodeElements, encodeElements } from './elements';
import { FileFormatError } from './fileFormatError';

/**
 * Hugging Face's safetensors format (github.com/huggingface/safetensors, README "Format"):
 * an 8-byte little-endian u64 N, N bytes of UTF-8 JSON mapping each tensor name to
 * `{dtype, shape, data_offsets: [begin, end]}` (offsets relative to the data section) plus an
 * optional `"__metadata__"` of string → string, then the data section, little-endian, C order.
 */
const FROM_FILE: Readonly<Record<string, DType>> = {
  F32: 'float32',
  F64: 'float64',
  F16: 'float16',
  BF16: 'bfloat16',
  I64: 'int64',
  I32: 'int32',
  I16: 'int16',
  I8: 'int8',
  U8: 'uint8',
  BOOL: 'bool',
};
const TO_FILE = Object.fromEntries(Object.entries(FROM_FILE).map(([k, v]) => [v, k])) as Record<
  DType,
  string
>;
/** The reference writer's order: by dtype in this order (largest items first), then by name. */
const WRITE_ORDER: readonly DType[] = [
  'int64',
  'float64',
  'float32',
  'int32',
  'bfloat16',
  'float16',
  'int16',
  'int8',
  'uint8',
  'bool',
];
/** The reference implementation refuses headers above 100 MB. */
const MAX_HEADER_BYTES = 100_000_000;
const METADATA_KEY = '__metadata__';

export interface Safetensors {
  /** In data-section order (the order of their bytes in the file). */
  tensors: NamedArray[];
  metadata: Record<string, string>;
}

/** One tensor of a header: its bytes lie at [begin, end) of the data section. */
export interface SafetensorsEntry {
  name: string;
  dtype: DType;
  shape: number[];
  begin: number;
  end: number;
}

const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);
const isCount = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;

/** Checks one header entry against the data section and returns it typed. */
function parseEntry(
  name: string,
  info: unknown,
  dataBytes: number,
  fail: (d: string) => Error,
): SafetensorsEntry {
  const tensorFail = (detail: string) => fail(`tensor "${name}": ${detail}`);
  if (!isRecord(info))
    throw tensorFail(`header entry must be an object {dtype, shape, data_offsets}`);
  const { dtype, shape, data_offsets: offsets } = info;
  if (typeof dtype !== 'string' || !Object.hasOwn(FROM_FILE, dtype)) {
    throw tensorFail(
      `dtype ${JSON.stringify(dtype)} is not supported, expected one of ${Object.keys(FROM_FILE).join(', ')}`,
    );
  }
  if (!Array.isArray(shape) || !shape.every(isCount)) {
    throw tensorFail(`shape ${JSON.stringify(shape)} must be a list of non-negative integers`);
  }
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every(isCount) ||
    offsets[0] > offsets[1]
  ) {
    throw tensorFail(
      `data_offsets ${JSON.stringify(offsets)} must be two integers [begin, end] with 0 ≤ begin ≤ end`,
    );
  }
  const [begin, end] = offsets as [number, number];
  if (end > dataBytes) {
    throw tensorFail(
      `data_offsets [${begin}, ${end}] lie outside the data section (${dataBytes} bytes after the header)`,
    );
  }
  const expected = elementCount(shape) * ITEM_SIZE[FROM_FILE[dtype]];
  if (end - begin !== expected) {
    throw tensorFail(
      `data_offsets [${begin}, ${end}] hold ${end - begin} bytes, expected ${expected} for ${dtype} ${formatShape(shape)}`,
    );
  }
  return { name, dtype: FROM_FILE[dtype], shape, begin, end };
}

/** A safetensors header, checked against the file's size: where each tensor's bytes lie. */
export interface SafetensorsHeader {
  /** In data-section order; `begin`/`end` are relative to the data section. */
  entries: SafetensorsEntry[];
  metadata: Record<string, string>;
  /** Byte offset of the data section in the file (8 + header length). */
  dataStart: number;
}

/** The header length in the first 8 bytes, checked against the file's size; throws via `fail`. */
export function safetensorsHeaderLength(
  first8: Uint8Array,
  fileBytes: number,
  fail: (detail: string) => Error,
): number {
  if (fileBytes < 8) {
    throw fail(
      `${fileBytes} bytes, too short for a safetensors file (it opens with an 8-byte header length)`,
    );
  }
  const view = new DataView(first8.buffer, first8.byteOffset, 8);
  const headerBytes = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
  if (8 + headerBytes > fileBytes) {
    throw fail(`header length ${headerBytes} exceeds the file (${fileBytes} bytes)`);
  }
  if (headerBytes > MAX_HEADER_BYTES) {
    throw fail(
      `header length ${headerBytes} exceeds the ${MAX_HEADER_BYTES}-byte limit of safetensors`,
    );
  }
  return headerBytes;
}

/**
 * Parses and validates the JSON header (the bytes after the length) of a file of `fileBytes`
 * bytes, as strictly as the reference implementation: UTF-8 JSON, known dtypes, shapes of
 * non-negative integers, each tensor's byte count matching dtype × shape, and tensors packed back
 * to back covering the whole data section (no overlap, no gap, nothing after).
 */
export function parseSafetensorsHeader(
  headerJson: Uint8Array,
  fileBytes: number,
  fail: (detail: string) => Error,
): SafetensorsHeader {
  const headerBytes = headerJson.length;
  let header: unknown;
  let duplicate: DuplicateJsonKey | undefined;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(headerJson);
    header = JSON.parse(text);
    duplicate = findDuplicateJsonKey(text);
  } catch (e) {
    throw fail(
      `header (${headerBytes} bytes after the length) is not valid UTF-8 JSON: ${(e as Error).message}`,
    );
  }
  if (duplicate) {
    const where = duplicate.path.length ? ` in "${duplicate.path.join('.')}"` : '';
    throw fail(
      duplicate.path.length === 0
        ? `the header names tensor "${duplicate.key}" twice, expected unique tensor names`
        : `the header repeats key "${duplicate.key}"${where}, expected unique keys`,
    );
  }
  if (!isRecord(header))
    throw fail('header must be a JSON object mapping tensor names to {dtype, shape, data_offsets}');

  const metadata: Record<string, string> = {};
  const rawMetadata = header[METADATA_KEY];
  if (rawMetadata !== undefined) {
    if (!isRecord(rawMetadata)) throw fail(`${METADATA_KEY} must be an object of strings`);
    for (const [key, value] of Object.entries(rawMetadata)) {
      if (typeof value !== 'string') {
        throw fail(`${METADATA_KEY} "${key}" must be a string, got ${JSON.stringify(value)}`);
      }
      metadata[key] = value;
    }
  }

  const dataStart = 8 + headerBytes;
  const dataBytes = fileBytes - dataStart;
  const entries = Object.entries(header)
    .filter(([name]) => name !== METADATA_KEY)
    .map(([name, info]) => parseEntry(name, info, dataBytes, fail))
    .sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  entries.forEach((entry, i) => {
    if (entry.begin < covered) {
      const prev = entries[i - 1];
      throw fail(
        `tensors "${prev.name}" [${prev.begin}, ${prev.end}] and "${entry.name}" [${entry.begin}, ${entry.end}] overlap`,
      );
    }
    if (entry.begin > covered) {
      throw fail(
        `bytes ${covered}..${entry.begin} of the data section belong to no tensor (before "${entry.name}"); tensors must be packed back to back`,
      );
    }
    covered = entry.end;
  });
  if (covered !== dataBytes) {
    throw fail(
      `the data section has ${dataBytes} bytes but the tensors cover ${covered}; the rest belongs to no tensor`,
    );
  }
  return { entries, metadata, dataStart };
}

/** One tensor's raw bytes (exactly its entry's length) → its array; errors name the tensor. */
export function decodeSafetensor(
  entry: SafetensorsEntry,
  raw: Uint8Array,
  fail: (detail: string) => Error,
): NamedArray {
  const { name, dtype, shape } = entry;
  const data = decodeElements(raw, dtype, true, (detail) => fail(`tensor "${name}": ${detail}`));
  return { name, dtype, shape, data } as NamedArray;
}

/**
 * Reads a whole .safetensors file held in memory, validated as {@link parseSafetensorsHeader}
 * says. Conversions are those of dtypes.ts. Throws a FileFormatError naming the file, the tensor
 * and what was expected.
 */
export function readSafetensors(bytes: Uint8Array, fileName: string): Safetensors {
  const fail = (detail: string) => new FileFormatError(fileName, detail);
  const headerBytes = safetensorsHeaderLength(bytes.subarray(0, 8), bytes.length, fail);
  const { entries, metadata, dataStart } = parseSafetensorsHeader(
    bytes.subarray(8, 8 + headerBytes),
    bytes.length,
    fail,
  );
  const tensors = entries.map((entry) =>
    decodeSafetensor(entry, bytes.subarray(dataStart + entry.begin, dataStart + entry.end), fail),
  );
  return { tensors, metadata };
}

/**
 * Writes a .safetensors file with the reference implementation's layout: tensors ordered by dtype
 * (8-byte types first, so every tensor stays aligned) then by name, compact JSON with
 * `__metadata__` first (keys sorted), the header padded with spaces to a multiple of 8 bytes.
 */
export function writeSafetensors(
  tensors: readonly NamedArray[],
  metadata?: Record<string, string>,
): Uint8Array<ArrayBuffer> {
  const names = new Set<string>();
  for (const t of tensors) {
    const where = `writeSafetensors: tensor "${t.name}"`;
    checkNamedArray(t, where);
    if (t.name === METADATA_KEY) throw new Error(`${where}: the name ${METADATA_KEY} is reserved`);
    if (names.has(t.name))
      throw new Error(`${where}: two tensors have this name; names must be unique`);
    names.add(t.name);
  }
  const ordered = [...tensors].sort(
    (a, b) =>
      WRITE_ORDER.indexOf(a.dtype) - WRITE_ORDER.indexOf(b.dtype) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  // Built by hand rather than from one object: JS objects list integer-like keys ("0") first.
  const fields: string[] = [];
  if (metadata !== undefined) {
    const keys = Object.keys(metadata).sort();
    for (const key of keys) {
      if (typeof metadata[key] !== 'string') {
        throw new Error(
          `writeSafetensors: metadata "${key}" must be a string, got ${typeof metadata[key]}`,
        );
      }
    }
    const pairs = keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(metadata[k])}`);
    fields.push(`${JSON.stringify(METADATA_KEY)}:{${pairs.join(',')}}`);
  }
  const encoded = ordered.map(encodeElements);
  let offset = 0;
  ordered.forEach((t, i) => {
    const info = {
      dtype: TO_FILE[t.dtype],
      shape: t.shape,
      data_offsets: [offset, offset + encoded[i].length],
    };
    fields.push(`${JSON.stringify(t.name)}:${JSON.stringify(info)}`);
    offset += encoded[i].length;
  });
  const json = new TextEncoder().encode(`{${fields.join(',')}}`);
  const headerBytes = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerBytes + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerBytes % 2 ** 32, true);
  view.setUint32(4, Math.floor(headerBytes / 2 ** 32), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerBytes);
  let at = 8 + headerBytes;
  for (const bytes of encoded) {
    out.set(bytes, at);
    at += bytes.length;
  }
  return out;
}
