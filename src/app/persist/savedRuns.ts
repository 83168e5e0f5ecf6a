// Fine-tunes saved in the browser: a small record per run (`run:<id>`) that points at the bytes of
// its latest snapshot (`bytes:<id>:<step>:<n>`). A new snapshot is written under a new key and the
// record is switched to it before the old bytes go, so a failed write never damages what was saved.
// Tabs share the store: each of these multi-step changes runs under one lock across tabs, so a
// tab's sweep never takes the bytes another tab has written but not yet pointed its record at.
import type { EvalLog, ModelInfo, TrainRequest, TrainSnapshot } from '../../engine/apiTypes';
import type { StreamPoint } from '../../charts/streamingChart';
import type { KeyValueStore } from './keyValueStore';
import { allocateRunNumber, reserveRunIds } from './runIds';
import { localTabs, type TabCoordination } from './tabs';

/** A saved fine-tune: what the page needs to list, resume or export it, without its bytes. */
export interface SavedRun {
  /** The fine-tuned model's id (`finetuned-3`). */
  id: string;
  info: ModelInfo;
  request: TrainRequest;
  step: number;
  /** running or paused: the page was closed mid-run and can resume it. */
  state: TrainSnapshot['state'];
  dataPosition: TrainSnapshot['dataPosition'];
  /** ISO time of the save. */
  savedAt: string;
  /** Key of the snapshot's bytes. */
  bytesKey: string;
  /** The run's evaluations and loss curve up to `step`, restored with it. */
  evals: EvalLog[];
  curve: StreamPoint[];
}

/** A snapshot's files. */
export interface SavedBytes {
  weights: Uint8Array;
  config: Uint8Array;
  optimizer: Uint8Array;
}

/** A snapshot the browser could not store: kept in memory so a session export still has it. */
export interface UnsavedRun {
  run: Omit<SavedRun, 'bytesKey' | 'savedAt'>;
  bytes: SavedBytes;
}

const RUN_PREFIX = 'run:';
const BYTES_PREFIX = 'bytes:';

export const isUnfinished = (run: Pick<SavedRun, 'state'>): boolean =>
  run.state === 'running' || run.state === 'paused';

const isBytes = (x: unknown): x is Uint8Array => x instanceof Uint8Array;

function isSavedRun(x: unknown): x is SavedRun {
  const r = x as SavedRun;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.id === 'string' &&
    typeof r.bytesKey === 'string' &&
    typeof r.step === 'number' &&
    typeof r.info === 'object' &&
    typeof r.request === 'object' &&
    Array.isArray(r.evals) &&
    Array.isArray(r.curve)
  );
}

export interface SavedRuns {
  /** Every saved run, oldest save first; records that cannot be read are skipped. */
  list(): Promise<SavedRun[]>;
  /** Saves a snapshot with its evaluations and curve; throws (having changed nothing) on failure. */
  save(snapshot: TrainSnapshot, extras: Pick<SavedRun, 'evals' | 'curve'>): Promise<SavedRun>;
  /** Stores a run read from a session file, under `run.id`. */
  put(run: Omit<SavedRun, 'bytesKey' | 'savedAt'>, bytes: SavedBytes): Promise<SavedRun>;
  bytes(run: SavedRun): Promise<SavedBytes>;
  /** The snapshot to resume `run` from. */
  snapshot(run: SavedRun): Promise<TrainSnapshot>;
  discard(id: string): Promise<void>;
  /** Deletes bytes no record points to (left by a save interrupted between its two writes). */
  sweep(): Promise<void>;
  /** A run number no tab has had (see runIds.ts); `taken`: ids in use that are not saved. */
  newRunNumber(taken?: Iterable<string>): Promise<number>;
  /**
   * The ids of runs brought in from elsewhere: their own, reserved so no tab is handed them, or
   * new ones where they clash with a saved run, one in `taken`, or a number handed out (runIds.ts).
   */
  reserveRunIds(ids: string[], taken?: Iterable<string>): Promise<string[]>;
}

/** Runs a job while no other tab runs one (TabCoordination.exclusive). */
export type Exclusive = TabCoordination['exclusive'];

/** One page's lock, enough where only one page uses the store: a lone tab's (localTabs). */
export const pageLock = (): Exclusive => localTabs().exclusive;

export function savedRuns(kv: KeyValueStore, exclusive: Exclusive = pageLock()): SavedRuns {
  let counter = 0;
  const write = (
    record: Omit<SavedRun, 'bytesKey' | 'savedAt'>,
    bytes: SavedBytes,
  ): Promise<SavedRun> => exclusive(() => writeNow(record, bytes));
  const writeNow = async (
    record: Omit<SavedRun, 'bytesKey' | 'savedAt'>,
    bytes: SavedBytes,
  ): Promise<SavedRun> => {
    const old = await kv.get<SavedRun>(RUN_PREFIX + record.id);
    const bytesKey = `${BYTES_PREFIX}${record.id}:${record.step}:${Date.now()}-${counter++}`;
    const run: SavedRun = { ...record, bytesKey, savedAt: new Date().toISOString() };
    // 1. the new bytes under a new key (the old record still points at the old bytes)
    await kv.set(bytesKey, bytes);
    try {
      // 2. switch the record over
      await kv.set(RUN_PREFIX + run.id, run);
    } catch (e) {
      await kv.del(bytesKey).catch(() => undefined);
      throw e;
    }
    // 3. only now let the old bytes go
    if (isSavedRun(old) && old.bytesKey !== bytesKey)
      await kv.del(old.bytesKey).catch(() => undefined);
    return run;
  };

  const api: SavedRuns = {
    async list() {
      const keys = (await kv.keys()).filter((k) => k.startsWith(RUN_PREFIX));
      const runs = await Promise.all(keys.map((k) => kv.get<SavedRun>(k)));
      return runs.filter(isSavedRun).sort((a, b) => a.savedAt.localeCompare(b.savedAt));
    },
    save(snapshot, extras) {
      return write(
        {
          id: snapshot.model.id,
          info: snapshot.model,
          request: snapshot.request,
          step: snapshot.step,
          state: snapshot.state,
          dataPosition: snapshot.dataPosition,
          evals: extras.evals,
          curve: extras.curve,
        },
        { weights: snapshot.weights, config: snapshot.config, optimizer: snapshot.optimizer },
      );
    },
    put: (run, bytes) => write(run, bytes),
    async bytes(run) {
      const bytes = await kv.get<SavedBytes>(run.bytesKey);
      if (!bytes || !isBytes(bytes.weights) || !isBytes(bytes.config) || !isBytes(bytes.optimizer))
        throw new Error(
          `browser storage: the files of ${run.id} (step ${run.step}) are missing or damaged`,
        );
      return bytes;
    },
    async snapshot(run) {
      const bytes = await api.bytes(run);
      return {
        version: 1,
        model: run.info,
        request: run.request,
        step: run.step,
        state: run.state,
        dataPosition: run.dataPosition,
        ...bytes,
      };
    },
    discard: (id) =>
      exclusive(async () => {
        const run = await kv.get<SavedRun>(RUN_PREFIX + id);
        await kv.del(RUN_PREFIX + id);
        if (isSavedRun(run)) await kv.del(run.bytesKey).catch(() => undefined);
      }),
    sweep: () =>
      exclusive(async () => {
        const keys = await kv.keys();
        const used = new Set((await api.list()).map((r) => r.bytesKey));
        await Promise.all(
          keys
            .filter((k) => k.startsWith(BYTES_PREFIX) && !used.has(k))
            .map((k) => kv.del(k).catch(() => undefined)),
        );
      }),
    newRunNumber: (taken) => exclusive(() => allocateRunNumber(kv, taken)),
    reserveRunIds: (ids, taken) => exclusive(() => reserveRunIds(kv, ids, taken)),
  };
  return api;
}
