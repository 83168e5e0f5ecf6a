// Fine-tune ids (`finetuned-<n>`) that no two tabs can both take: the number comes from a counter
// in the shared store, read and advanced under the store-wide lock, so a tab that has not saved its
// run yet still holds its number.
import type { KeyValueStore } from './keyValueStore';

/** The last run number handed out in this browser. */
export const LAST_RUN_NUMBER_KEY = 'last-run-number';
const RUN_PREFIX = 'run:';

export const runIdOf = (n: number): string => `finetuned-${n}`;

/** `n` of `finetuned-<n>`, or null for any other id. */
export function runNumberOf(id: string): number | null {
  const m = /^finetuned-([1-9]\d*)$/.exec(id);
  return m ? Number(m[1]) : null;
}

/**
 * The next run number: above every number handed out before, and not the id of a saved run or of
 * one in `taken` (e.g. models the engine has). Call inside the store-wide lock.
 */
export async function allocateRunNumber(
  kv: KeyValueStore,
  taken: Iterable<string> = [],
): Promise<number> {
  const saved = (await kv.keys()).filter((k) => k.startsWith(RUN_PREFIX)).map((k) => k.slice(4));
  const used = new Set([...saved, ...taken]);
  const last = await kv.get<unknown>(LAST_RUN_NUMBER_KEY);
  let n = (Number.isSafeInteger(last) && (last as number) > 0 ? (last as number) : 0) + 1;
  while (used.has(runIdOf(n))) n += 1;
  await kv.set(LAST_RUN_NUMBER_KEY, n);
  return n;
}

/** Whether `id` may belong to a run another tab has started but not saved yet. */
export async function mayBeAllocated(kv: KeyValueStore, id: string): Promise<boolean> {
  const n = runNumberOf(id);
  const last = await kv.get<unknown>(LAST_RUN_NUMBER_KEY);
  return n !== null && Number.isSafeInteger(last) && n <= (last as number);
}
