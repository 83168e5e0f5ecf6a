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

/**
 * The ids runs brought in from elsewhere are stored under, in order: each its own if no saved run,
 * no id in `taken` and no tab (which may not have saved yet) has it, else a new number's. The last
 * run number is raised to the kept ones, so no tab is handed them later. Call inside the
 * store-wide lock: the check and the raise are one step.
 */
export async function reserveRunIds(
  kv: KeyValueStore,
  ids: string[],
  taken: Iterable<string> = [],
): Promise<string[]> {
  const saved = (await kv.keys()).filter((k) => k.startsWith(RUN_PREFIX)).map((k) => k.slice(4));
  const used = new Set([...saved, ...taken]);
  const stored = await kv.get<unknown>(LAST_RUN_NUMBER_KEY);
  const last = Number.isSafeInteger(stored) && (stored as number) > 0 ? (stored as number) : 0;
  const kept = ids.map((id) => {
    const n = runNumberOf(id);
    const keep = !used.has(id) && (n === null || n > last);
    used.add(id);
    return keep;
  });
  const result: string[] = [];
  let highest = last;
  for (const [i, id] of ids.entries()) {
    const n = kept[i] ? (runNumberOf(id) ?? 0) : await allocateRunNumber(kv, used);
    result.push(kept[i] ? id : runIdOf(n));
    highest = Math.max(highest, n);
  }
  if (highest > last) await kv.set(LAST_RUN_NUMBER_KEY, highest);
  return result;
}
