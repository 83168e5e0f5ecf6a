import { afterEach, describe, expect, it } from 'vitest';
import type {
  ModelInfo,
  StartTrainingOptions,
  TrainEvent,
  TrainSnapshot,
} from '../../engine/apiTypes';
import { connectExplorer, type ExplorerController } from '../effects/connect';
import { createStreamFeed } from '../effects/streamFeed';
import { createFakeEngine, model, settle } from '../effects/testing';
import { createStrataStore } from '../store';
import { memoryStore, type KeyValueStore } from './keyValueStore';
import { resetPersist } from './persistState';
import { LAST_RUN_NUMBER_KEY } from './runIds';
import { pageLock, savedRuns, type SavedRun } from './savedRuns';
import { claimPending } from './tabRuns';
import { localTabs, localTabSpace } from './tabs';

// Several tabs of one browser, simulated: one store, one LocalTabSpace (their Web Locks and
// BroadcastChannel), and a sessionStorage each.

const bytes = (tag: number, n = 16) => new Uint8Array(n).fill(tag);

function snapshot(id: string, step: number, state: TrainSnapshot['state']): TrainSnapshot {
  return {
    version: 1,
    model: { ...model(id, 'aligned'), builtin: false },
    request: {
      baseModelId: 'mnist-aligned',
      dataset: 'mnist',
      loss: 'aligned',
      weighting: 'linear',
      lr: 1e-3,
      batchSize: 8,
      steps: 100,
      seed: 0,
      evalEvery: 25,
    },
    step,
    state,
    dataPosition: { epoch: 0, batch: step },
    weights: bytes(step),
    config: bytes(step + 1, 4),
    optimizer: bytes(step + 2, 32),
  };
}

const none = { evals: [], curve: [] };

describe('run ids across tabs', () => {
  it('two tabs asking at once get different numbers, above every saved run', async () => {
    const kv = memoryStore();
    const space = localTabSpace();
    const [a, b] = [
      savedRuns(kv, localTabs(space).exclusive),
      savedRuns(kv, localTabs(space).exclusive),
    ];
    await a.save(snapshot('finetuned-1', 100, 'done'), none);
    const numbers = await Promise.all([a.newRunNumber(), b.newRunNumber(), a.newRunNumber()]);
    expect(numbers).toEqual([2, 3, 4]);
    // An id in use elsewhere (a model the engine has) is skipped.
    expect(await b.newRunNumber(['finetuned-5'])).toBe(6);
    // A discarded run's number is not handed out again: a tab may still train under it.
    await a.discard('finetuned-1');
    expect(await a.newRunNumber()).toBe(7);
    expect(kv.data.get(LAST_RUN_NUMBER_KEY)).toBe(7);
    // An imported run keeps a number not handed out yet, and takes it; one handed out is renamed.
    expect(await a.reserveRunIds(['finetuned-10', 'finetuned-7', 'finetuned-9'])).toEqual([
      'finetuned-10',
      'finetuned-8',
      'finetuned-9',
    ]);
    expect(await b.newRunNumber()).toBe(11);
  });

  it('a page gets its run number from the store, so two pages never share an id', async () => {
    const kv = memoryStore();
    const space = localTabSpace();
    const pages = [await openPage(kv, space), await openPage(kv, space)];
    pages.forEach((p) => p.controller.training.start());
    await settle();
    const ids = pages.map(
      (p) => (p.fake.callsTo('startTraining')[0][2] as StartTrainingOptions).runNumber,
    );
    expect(ids).toEqual([1, 2]);
  });
});

/** A store whose record writes take `ms`, so another tab can act between a save's two writes. */
function slowRecords(kv: KeyValueStore, ms: number): KeyValueStore {
  return {
    ...kv,
    async set(key, value) {
      if (key.startsWith('run:')) await new Promise((r) => setTimeout(r, ms));
      return kv.set(key, value);
    },
  };
}

describe('saving while another tab works on the same store', () => {
  it("one page's lock runs jobs one at a time, in order, and goes on after one fails", async () => {
    const lock = pageLock();
    const log: string[] = [];
    const job =
      (name: string, fail = false) =>
      async () => {
        log.push(`${name} in`);
        await new Promise((r) => setTimeout(r, 5));
        log.push(`${name} out`);
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([
      lock(job('a')),
      lock(job('b', true)),
      lock(job('c')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(log).toEqual(['a in', 'a out', 'b in', 'b out', 'c in', 'c out']);
  });

  it("a reloading tab's sweep waits for another tab's save: its bytes survive", async () => {
    const kv = memoryStore();
    const space = localTabSpace();
    const saving = savedRuns(slowRecords(kv, 30), localTabs(space).exclusive);
    const reloading = savedRuns(kv, localTabs(space).exclusive);
    const save = saving.save(snapshot('finetuned-1', 25, 'running'), none);
    // The new bytes are written; the record does not point at them yet.
    while (![...kv.data.keys()].some((k) => k.startsWith('bytes:')))
      await new Promise((r) => setTimeout(r, 1));
    await Promise.all([save, reloading.sweep()]);
    const [run] = await reloading.list();
    expect((await reloading.snapshot(run)).weights).toEqual(bytes(25));
  });

  it('two tabs saving their runs at once keep both, each with its own bytes', async () => {
    const kv = memoryStore();
    const space = localTabSpace();
    const a = savedRuns(kv, localTabs(space).exclusive);
    const b = savedRuns(kv, localTabs(space).exclusive);
    await Promise.all([
      a.save(snapshot('finetuned-1', 25, 'running'), none),
      b.save(snapshot('finetuned-2', 50, 'running'), none),
      a.save(snapshot('finetuned-1', 26, 'paused'), none),
    ]);
    const list = (await a.list()).sort((x, y) => x.id.localeCompare(y.id));
    const saved = await Promise.all(list.map(async (r) => (await a.snapshot(r)).weights[0]));
    expect(list.map((r) => [r.id, r.step])).toEqual([
      ['finetuned-1', 26],
      ['finetuned-2', 50],
    ]);
    expect(saved).toEqual([26, 50]);
    expect([...kv.data.keys()].filter((k) => k.startsWith('bytes:'))).toHaveLength(2);
  });
});

describe('which unfinished run a tab offers after a reload', () => {
  const run = (id: string) => ({ id }) as SavedRun;
  const unfinished = [run('finetuned-1'), run('finetuned-2'), run('finetuned-3')];

  it('two tabs reloading at once each get their own run, whichever asks first', async () => {
    const space = localTabSpace();
    const first = localTabs(space, new Map([['strata-own-run', 'finetuned-1']]));
    const second = localTabs(space, new Map([['strata-own-run', 'finetuned-2']]));
    const offered = await Promise.all([
      claimPending(second, unfinished),
      claimPending(first, unfinished),
    ]);
    expect(offered.map((r) => r?.id)).toEqual(['finetuned-2', 'finetuned-1']);
  });

  it("never offers a run another tab trains or offers; a new tab gets the newest that's free", async () => {
    const space = localTabSpace();
    const training = localTabs(space);
    expect(await training.claim('finetuned-3')).toBe(true);
    const tabs = [localTabs(space), localTabs(space), localTabs(space)];
    const offered = await Promise.all(tabs.map((t) => claimPending(t, unfinished)));
    expect(offered.map((r) => r?.id ?? null)).toEqual(['finetuned-2', 'finetuned-1', null]);
    // The training tab closes: its run is free to resume elsewhere.
    training.dispose();
    expect((await claimPending(tabs[2], unfinished))?.id).toBe('finetuned-3');
  });
});

let controllers: ExplorerController[] = [];
afterEach(() => {
  controllers.forEach((c) => c.disconnect());
  controllers = [];
  resetPersist();
});

async function openPage(kv: KeyValueStore, space = localTabSpace()) {
  const fake = createFakeEngine();
  const registered: ModelInfo[] = [];
  let emit!: (e: TrainEvent) => void;
  fake.handlers.startTraining = (_req, onEvent) => {
    emit = onEvent;
    return new Promise(() => undefined);
  };
  fake.handlers.registerCheckpoint = async (info) => (registered.push(info), info);
  const controller = connectExplorer(
    fake.engine,
    createStrataStore(),
    createStreamFeed(),
    kv,
    localTabs(space),
  );
  controllers.push(controller);
  await settle();
  return { fake, controller, registered, emit: (e: TrainEvent) => emit(e) };
}

describe('a run finished in another tab', () => {
  it('is loaded into the engine of a tab that stays open', async () => {
    const kv = memoryStore();
    const space = localTabSpace();
    const trainer = await openPage(kv, space);
    const watcher = await openPage(kv, space);
    trainer.controller.training.start();
    await settle();
    trainer.emit({ type: 'snapshot', snapshot: snapshot('finetuned-1', 25, 'running') });
    await trainer.controller.persistence!.flushed();
    await settle();
    expect(watcher.registered).toEqual([]);
    trainer.emit({ type: 'snapshot', snapshot: snapshot('finetuned-1', 100, 'done') });
    await trainer.controller.persistence!.flushed();
    await settle();
    expect(watcher.registered.map((m) => m.id)).toEqual(['finetuned-1']);
    expect(trainer.registered).toEqual([]);
  });
});
