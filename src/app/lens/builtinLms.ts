// The built-in language models (public/models/imdb-lm-*): read from the page's own origin and
// reviewed as a dropped decoder folder is, with their held-out IMDB reviews as default input.
import { errorMessage } from '../effects/watch';
import type { DroppedFile } from '../import/types';
import { useStrata } from '../store';
import { reviewDecoder } from './decoderImport';
import { heldOutSpec, loadHeldOutIds } from './heldOutReviews';
import { DEFAULT_MAX_LENGTH, useLens, type LanguageModel } from './lensState';

export interface BuiltinLm {
  id: string;
  title: string;
}

/** Trained by scripts/train-lm.ts on IMDB reviews, one per LM loss. */
export const BUILTIN_LMS: readonly BuiltinLm[] = [
  { id: 'imdb-lm-standard', title: 'imdb LM · standard' },
  { id: 'imdb-lm-aligned', title: 'imdb LM · aligned' },
];

const FILES = ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json'];

/** Reads a file of the page's own public/ folder; rejects on a missing file. */
export type AssetReader = (path: string) => Promise<Uint8Array>;

export const fetchAsset: AssetReader = async (path) => {
  const response = await fetch(`${import.meta.env.BASE_URL}${path}`);
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
};

/** A built-in LM reviewed, with its held-out reviews. Throws naming the file at fault. */
export async function loadBuiltinLm(
  id: string,
  read: AssetReader = fetchAsset,
): Promise<LanguageModel> {
  if (!BUILTIN_LMS.some((m) => m.id === id))
    throw new Error(
      `built-in language model "${id}": expected one of ${BUILTIN_LMS.map((m) => m.id).join(', ')}`,
    );
  const files: DroppedFile[] = await Promise.all(
    FILES.map(async (name) => {
      const path = `models/${id}/${name}`;
      return {
        path: `${id}/${name}`,
        file: new File([(await read(path)) as Uint8Array<ArrayBuffer>], name),
      };
    }),
  );
  const model = await reviewDecoder(files);
  const lensPath = `models/${id}/lens.json`;
  let lensJson: unknown;
  try {
    lensJson = JSON.parse(new TextDecoder().decode(await read(lensPath)));
  } catch (e) {
    throw new Error(`${lensPath}: ${errorMessage(e)}`);
  }
  const defaultIds = await loadHeldOutIds(
    (p) => read(`datasets/${p}`),
    heldOutSpec(lensJson, lensPath),
    model.summary.vocabSize,
  );
  return { ...model, builtin: id, defaultIds };
}

/**
 * Makes a built-in LM the page's language model (`role` main) or its comparison. A failure goes
 * to the alert region and the page keeps what it had. Never throws.
 */
export async function openBuiltinLm(
  id: string | null,
  role: 'main' | 'compare',
  read: AssetReader = fetchAsset,
): Promise<void> {
  if (id === null) {
    useLens.setState(role === 'main' ? { model: null, compare: null } : { compare: null });
    return;
  }
  let model: LanguageModel;
  try {
    model = await loadBuiltinLm(id, read);
  } catch (e) {
    useStrata.getState().addAlert('error', `Language model not opened: ${errorMessage(e)}`);
    return;
  }
  if (role === 'compare') {
    useLens.setState({ compare: model });
    return;
  }
  useLens.setState((s) => {
    const asked =
      s.model && s.maxLength === s.model.maxPositions ? DEFAULT_MAX_LENGTH : s.maxLength;
    return {
      model,
      compare: s.compare?.builtin === id ? null : s.compare,
      maxLength: Math.min(asked, model.maxPositions),
    };
  });
}
