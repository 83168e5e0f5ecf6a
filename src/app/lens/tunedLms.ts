// Fine-tuned language models kept across reloads: their files' bytes in the page's IndexedDB
// (database `strata-lm`, one record per model), listed in the LM picker and opened like a drop.
import { errorMessage } from '../effects/watch';
import type { DroppedFile } from '../import/types';
import { indexedDbStore, type KeyValueStore } from '../persist/keyValueStore';
import { useStrata } from '../store';
import { loadBuiltinLm, type AssetReader, fetchAsset } from './builtinLms';
import { reviewDecoder } from './decoderImport';
import { DEFAULT_MAX_LENGTH, useLens, type LanguageModel } from './lensState';
import { useLmTune, type TunedLm, type TunedLmRecord } from './lmTuneState';

const PREFIX = 'lm:';

let store: KeyValueStore | null = null;
/** The store the page uses (a test may set its own). */
export const tunedLmStore = (): KeyValueStore => (store ??= indexedDbStore('strata-lm', 'tuned'));
export function setTunedLmStore(s: KeyValueStore | null): void {
  store = s;
}

const isRecord = (x: unknown): x is TunedLmRecord => {
  const r = x as TunedLmRecord;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.key === 'string' &&
    typeof r.name === 'string' &&
    typeof r.files === 'object' &&
    r.files !== null &&
    Object.values(r.files).every((b) => b instanceof Uint8Array)
  );
};

/** The fine-tuned model as the lens reads it; a built-in base's held-out reviews come with it. */
export async function tunedLmModel(
  record: TunedLmRecord,
  read: AssetReader = fetchAsset,
): Promise<LanguageModel> {
  const files: DroppedFile[] = Object.entries(record.files).map(([name, bytes]) => ({
    path: `${record.name}/${name}`,
    file: new File([bytes as Uint8Array<ArrayBuffer>], name),
  }));
  const model = await reviewDecoder(files);
  const defaultIds = record.builtin
    ? (await loadBuiltinLm(record.builtin, read)).defaultIds
    : undefined;
  return { ...model, name: record.name, tuned: record.key, ...(defaultIds ? { defaultIds } : {}) };
}

/** Lists the stored fine-tunes in the picker (each opened when picked). Never throws. */
export async function restoreTunedLms(): Promise<void> {
  try {
    const s = tunedLmStore();
    const keys = (await s.keys()).filter((k) => k.startsWith(PREFIX)).sort();
    const records = (await Promise.all(keys.map((k) => s.get<unknown>(k)))).filter(isRecord);
    useLmTune.setState((st) => ({
      tuned: [
        ...st.tuned,
        ...records
          .filter((r) => !st.tuned.some((t) => t.key === r.key))
          .map((record) => ({ key: record.key, name: record.name, record })),
      ],
    }));
  } catch {
    // No IndexedDB (some private modes): nothing can have been stored, so the picker lists none;
    // a fine-tune made now says so when it is kept (keepTunedLm).
  }
}

/**
 * Keeps a fine-tuned model in the picker for this session and stores it for the next; a failed
 * write (no IndexedDB, a full disk) leaves it for this session only, with a notice.
 */
export async function keepTunedLm(
  record: Omit<TunedLmRecord, 'key' | 'savedAt'>,
): Promise<TunedLm> {
  const key = `${PREFIX}${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const full: TunedLmRecord = { ...record, key, savedAt: new Date().toISOString() };
  const entry: TunedLm = { key, name: record.name, record: full };
  useLmTune.setState((s) => ({ tuned: [...s.tuned, entry] }));
  try {
    await tunedLmStore().set(key, full);
  } catch (e) {
    useStrata
      .getState()
      .addAlert(
        'notice',
        `${record.name} is kept for this session only: the browser did not store it (${errorMessage(e)}).`,
      );
  }
  return entry;
}

/** Makes a fine-tuned LM the page's language model (`main`) or its comparison. Never throws. */
export async function openTunedLm(key: string, role: 'main' | 'compare'): Promise<void> {
  const entry = useLmTune.getState().tuned.find((t) => t.key === key);
  if (!entry) return;
  let model: LanguageModel;
  try {
    model = await tunedLmModel(entry.record);
  } catch (e) {
    useStrata
      .getState()
      .addAlert('error', `Language model not opened: ${entry.name}: ${errorMessage(e)}`);
    return;
  }
  if (role === 'compare') {
    useLens.setState({ compare: model });
    return;
  }
  useLens.setState((s) => ({
    model,
    compare: s.compare?.tuned === key ? null : s.compare,
    maxLength: Math.min(s.maxLength || DEFAULT_MAX_LENGTH, model.maxPositions),
  }));
}
