// Image datasets laid out as class folders (`digits/3/a.png`), from a dropped folder or a zip:
// each image decoded, resized to the model's input and made grey or colour to match it.
import { readZipEntries } from '../io/zip';
import { checkRowLimit } from './fileChunks';
import { checkImageSize, readImageSize } from './imageSize';
import type { ImageRows } from './labelledRows';
import { MAX_IMPORT_BYTES } from './readBlob';
import { isReadCancelled, throwIfCancelled } from './readCancel';
import { stagedImageShape } from './stagedImageShape';

/** One image decoded to the target shape; `width`, `height`, `colour` describe the original. */
export interface DecodedImage {
  pixels: Uint8Array;
  width: number;
  height: number;
  colour: boolean;
}

/**
 * Decodes PNG/JPEG/WebP bytes to `[H, W, C]` uint8 pixels of `shape` (C = 1: grey, 3: RGB).
 * In the browser worker: createImageBitmap + OffscreenCanvas (imageDecoder.ts); tests pass a fake.
 */
export type ImageDecoder = (
  bytes: Uint8Array,
  name: string,
  shape: [number, number, number],
) => Promise<DecodedImage>;

/** A file of an image folder: its path relative to the drop and a way to read its bytes. */
export interface FolderEntry {
  path: string;
  read(): Promise<Uint8Array>;
}

const IMAGE = /\.(png|jpe?g|webp)$/i;
/** Files operating systems leave behind; skipped without a word. */
const JUNK = /(^|\/)(\.[^/]*|__MACOSX|Thumbs\.db|desktop\.ini)(\/|$)/i;

/** Drops a leading folder that every path shares when something sits two levels below it. */
function stripCommonRoot(paths: string[]): { root: string; rel: string[] } {
  const parts = paths.map((p) => p.split('/'));
  const top = parts[0]?.[0];
  const shared = parts.every((p) => p.length >= 2 && p[0] === top);
  if (parts.length > 0 && shared && parts.some((p) => p.length >= 3)) {
    return { root: `${top}/`, rel: parts.map((p) => p.slice(1).join('/')) };
  }
  return { root: '', rel: paths };
}

/** "archive.zip: a/b.png", or just the path when it already starts with the dropped folder. */
function placeOf(path: string, source: string): string {
  return path.startsWith(source) ? path : `${source}: ${path}`;
}

/** The class (first folder) of each image, after checking the layout; errors name the file. */
export function classFolderLayout(
  paths: string[],
  source: string,
): { path: string; label: string }[] {
  const kept = paths.filter((p) => !JUNK.test(p));
  if (kept.length === 0)
    throw new Error(`${source}: no files, expected class folders of PNG, JPEG or WebP images`);
  const { root, rel } = stripCommonRoot(kept);
  const at = (path: string) => placeOf(path, source);
  const out: { path: string; label: string }[] = [];
  rel.forEach((r, i) => {
    const parts = r.split('/');
    if (!IMAGE.test(r))
      throw new Error(
        `${at(kept[i])} is not an image (stray file); expected only <class>/<image>.png|.jpg|.webp under ${root || 'the top folder'}`,
      );
    if (parts.length !== 2)
      throw new Error(
        `${at(kept[i])} is ${parts.length < 2 ? 'not inside a class folder' : 'nested too deep'}; expected <class>/<image> (one folder per class${root ? ` under ${root}` : ''})`,
      );
    out.push({ path: kept[i], label: parts[0] });
  });
  checkRowLimit(out.length, source);
  return out;
}

/**
 * The entries of a zip archive (folders left out); errors name the archive. What it may inflate
 * to is budgeted as for any file the page reads (MAX_IMPORT_BYTES).
 */
export function zipEntries(bytes: Uint8Array, source: string): FolderEntry[] {
  return readZipEntries(bytes, source, { maxTotalBytes: MAX_IMPORT_BYTES })
    .filter(({ name }) => !name.endsWith('/'))
    .map(({ name, data }) => ({ path: name, read: async () => data }));
}

export interface ImageFolderResult {
  rows: ImageRows;
  notes: string[];
}

/** Decodes one image; a failure names the file. */
async function decodeAt(
  decode: ImageDecoder,
  bytes: Uint8Array,
  path: string,
  source: string,
  shape: [number, number, number],
): Promise<DecodedImage> {
  try {
    return await decode(bytes, path, shape);
  } catch (e) {
    if (isReadCancelled(e)) throw e;
    throw new Error(
      `${placeOf(path, source)} could not be decoded (${(e as Error).message}); expected a PNG, JPEG or WebP image`,
    );
  }
}

/** The shape the first image sets for all: its own size and channels, bounded (stagedImageShape). */
async function ownShape(
  entry: FolderEntry,
  n: number,
  source: string,
  decode: ImageDecoder,
): Promise<[number, number, number]> {
  const bytes = await entry.read();
  checkImageSize(bytes, placeOf(entry.path, source));
  const header = readImageSize(bytes);
  const probe = header ? [header.height, header.width] : [1, 1];
  const first = await decodeAt(decode, bytes, entry.path, source, [
    ...(stagedImageShape(probe[1], probe[0], true, n).slice(0, 2) as [number, number]),
    3,
  ]);
  return stagedImageShape(first.width, first.height, first.colour, n);
}

/**
 * Reads class folders of images into rows of `shape` (default: the first image's own size and
 * channels, bounded by stagedImageShape). A file that will not decode, or whose header states a
 * size too large to decode, stops the import with its path; notes say what was resized or converted.
 */
export async function readImageFolder(
  entries: FolderEntry[],
  source: string,
  wanted: [number, number, number] | undefined,
  decode: ImageDecoder,
  onProgress?: (done: number, total: number) => void,
  signal?: AbortSignal,
): Promise<ImageFolderResult> {
  const byPath = new Map(entries.map((e) => [e.path, e]));
  const layout = classFolderLayout([...byPath.keys()], source);
  const shape =
    wanted ?? (await ownShape(byPath.get(layout[0].path)!, layout.length, source, decode));
  const size = shape[0] * shape[1] * shape[2];
  const x = new Uint8Array(layout.length * size);
  let resized = 0;
  let converted = 0;
  const sizes = new Set<string>();
  for (let i = 0; i < layout.length; i++) {
    const { path } = layout[i];
    throwIfCancelled(signal, source);
    const bytes = await byPath.get(path)!.read();
    checkImageSize(bytes, placeOf(path, source));
    const image = await decodeAt(decode, bytes, path, source, shape);
    x.set(image.pixels, i * size);
    if (image.width !== shape[1] || image.height !== shape[0]) resized++;
    if (image.colour !== (shape[2] === 3)) converted++;
    sizes.add(`${image.width}×${image.height}`);
    if (i % 16 === 15 || i === layout.length - 1) onProgress?.(i + 1, layout.length);
  }
  const notes: string[] = [];
  if (resized > 0)
    notes.push(
      `${resized} of ${layout.length} images (sizes ${[...sizes].slice(0, 4).join(', ')}${sizes.size > 4 ? ', …' : ''}) are resized to ${shape[1]}×${shape[0]}${wanted ? ", the model's input" : ' (the first image sets the size, at most 256 on a side)'}.`,
    );
  if (converted > 0)
    notes.push(
      `${converted} images are converted to ${shape[2] === 1 ? 'grey' : 'colour'}, as ${wanted ? 'the model reads' : 'the first image has'} ${shape[2] === 1 ? 'one channel' : 'three channels'}.`,
    );
  return {
    rows: {
      kind: 'image',
      source,
      n: layout.length,
      inputShape: shape,
      x,
      labels: layout.map((l) => l.label),
    },
    notes,
  };
}
