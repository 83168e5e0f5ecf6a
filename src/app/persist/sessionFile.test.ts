import { strToU8, unzipSync, zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeSafetensors } from '../../engine/io/safetensors';
import { forgeAllSizes } from '../../engine/io/zipTesting';
import { PRESETS } from '../../engine/model/config';
import { configToJson } from '../../engine/model/configJson';
import { connectExplorer, type ExplorerController } from '../effects/connect';
import { createStreamFeed } from '../effects/streamFeed';
import { createFakeEngine, model, settle } from '../effects/testing';
import { DEFAULT_CONFIG } from '../state/config';
import { createStrataStore } from '../store';
import { memoryStore } from './keyValueStore';
import { resetPersist, usePersist } from './persistState';
import { LAST_RUN_NUMBER_KEY } from './runIds';
import { savedRuns, type SavedRuns } from './savedRuns';
import { readSessionFile, sessionFileName, writeSessionFile, type Session } from './sessionFile';
import { importSession } from './sessionTransfer';

const weights = writeSafetensors([
  { name: 'w', dtype: 'float32', shape: [2], data: new Float32Array([1, 2]) },
]);
const optimizer = writeSafetensors([], { adamw_step: '3' });
const config = strToU8(JSON.stringify(configToJson(PRESETS['vit-mnist'])));

function checkpoint(id: string, state: 'done' | 'paused' = 'done') {
  return {
    run: {
      id,
      info: { ...model(id, 'aligned'), builtin: false },
      request: {
        baseModelId: 'mnist-aligned',
        dataset: 'mnist',
        loss: 'aligned' as const,
        weighting: 'linear' as const,
        lr: 0.001,
        batchSize: 8,
        steps: 80,
        seed: 0,
        evalEvery: 20,
      },
      step: state === 'done' ? 80 : 40,
      state,
      dataPosition: { epoch: 0, batch: 40 },
      evals: [{ step: 20, n: 100, accuracy: [0.5, 0.7], loss: [1.2, 0.8] }],
      curve: [{ series: 'weighted loss', x: 1, y: 2.3 }],
    },
    bytes: { weights, config, optimizer },
  };
}

const { backend: _unused, ...portable } = {
  ...DEFAULT_CONFIG,
  modelId: 'finetuned-1',
  dataset: 'mnist',
};
void _unused;
const session: Session = {
  createdAt: '2026-11-30T07:00:00.000Z',
  config: { ...portable, samples: 500 },
  results: { training: { modelId: 'finetuned-1', evals: checkpoint('x').run.evals } },
  checkpoints: [checkpoint('finetuned-1'), checkpoint('finetuned-2', 'paused')],
};

/** The session file with one entry replaced (or removed with null). */
function edited(name: string, value: Uint8Array | null): Uint8Array {
  const entries: Record<string, Uint8Array> = unzipSync(writeSessionFile(session));
  if (value === null) delete entries[name];
  else entries[name] = value;
  return zipSync(entries);
}
const manifest = () =>
  JSON.parse(new TextDecoder().decode(unzipSync(writeSessionFile(session))['manifest.json']));
const withManifest = (m: unknown) => edited('manifest.json', strToU8(JSON.stringify(m)));

describe('session file', () => {
  it('round-trips config, results and every checkpoint byte for byte', () => {
    const back = readSessionFile(writeSessionFile(session), 's.strata.zip');
    expect(back).toEqual(session);
    expect(sessionFileName(new Date('2026-11-30T07:30:00Z'))).toBe(
      'strata-session-2026-11-30.strata.zip',
    );
  });

  it.each([
    ['not a zip', () => strToU8('hello'), /^s.zip: not a zip archive/],
    [
      'entries that claim more than the page holds (checked before inflating)',
      () => forgeAllSizes(writeSessionFile(session), 7, 200 * 1024 ** 2),
      's.zip: its 7 entries claim 1.37 GB (1468006400 bytes) uncompressed in total, over the limit of 1.00 GB',
    ],
    ['no manifest', () => edited('manifest.json', null), 's.zip: no manifest.json'],
    [
      'a missing file',
      () => edited('checkpoints/finetuned-2/model.safetensors', null),
      's.zip: checkpoints/finetuned-2/model.safetensors: missing (listed by manifest.json checkpoints[1])',
    ],
    [
      'a stray file',
      () => edited('notes.txt', strToU8('hi')),
      's.zip: notes.txt: not listed in manifest.json',
    ],
    [
      'broken weights',
      () => edited('checkpoints/finetuned-1/model.safetensors', new Uint8Array(12)),
      /^s.zip: checkpoints\/finetuned-1\/model.safetensors: /,
    ],
    [
      'a broken config.json',
      () => edited('checkpoints/finetuned-1/config.json', strToU8('{"model_type": 3}')),
      /^s.zip: checkpoints\/finetuned-1\/config.json/,
    ],
    [
      'a bad config value',
      () => withManifest({ ...manifest(), config: { ...manifest().config, samples: -5 } }),
      's.zip: manifest.json config: Ignored samples = -5: expected a value in [16, 10000].',
    ],
    [
      'a step past the end',
      () => {
        const m = manifest();
        m.checkpoints[0].step = 81;
        return withManifest(m);
      },
      's.zip: manifest.json checkpoints[0].step: expected a whole number from 0 to 80',
    ],
    [
      'another format',
      () => withManifest({ ...manifest(), format: 'x' }),
      's.zip: manifest.json: "format" must be "strata-session"',
    ],
  ])('rejects %s, naming the file and the entry', (_what, make, message) => {
    expect(() => readSessionFile(make(), 's.zip')).toThrow(message);
  });
});

describe('importing a session', () => {
  let controller: ExplorerController | null = null;
  beforeEach(() => resetPersist());
  afterEach(() => controller?.disconnect());

  async function page(kv = memoryStore()) {
    const fake = createFakeEngine();
    const registered: string[] = [];
    fake.handlers.registerCheckpoint = async (info) => {
      registered.push(info.id);
      return { ...info, builtin: false };
    };
    fake.handlers.listModels = async () => [
      model('mnist-standard', 'standard'),
      model('mnist-aligned', 'aligned'),
      ...registered.map((id) => ({ ...model(id, 'aligned'), builtin: false })),
    ];
    const store = createStrataStore();
    controller = connectExplorer(fake.engine, store, createStreamFeed(), kv);
    await settle();
    return { fake, store, kv, registered };
  }

  it('stores and registers the checkpoints, offers the unfinished one, applies the config', async () => {
    const p = await page();
    await controller!.persistence!.importSession(writeSessionFile(session), 's.strata.zip');
    expect(p.registered).toEqual(['finetuned-1']);
    expect((await savedRuns(p.kv).list()).map((r) => [r.id, r.state])).toEqual([
      ['finetuned-1', 'done'],
      ['finetuned-2', 'paused'],
    ]);
    expect(usePersist.getState().pending?.id).toBe('finetuned-2');
    expect(p.store.getState().config).toMatchObject({ modelId: 'finetuned-1', samples: 500 });
    expect(p.store.getState().results.training.evals).toHaveLength(1);
    expect(p.store.getState().ui.alerts.map((a) => a.text)).toContain(
      // Run names hold commas ("… → aligned, 200 steps, lr 1e-4"), so names are split by semicolons.
      'Imported session s.strata.zip: 2 checkpoints (finetuned-1; finetuned-2).',
    );
  });

  it('gives clashing ids new ones instead of overwriting', async () => {
    const kv = memoryStore();
    await savedRuns(kv).put(checkpoint('finetuned-1').run, checkpoint('finetuned-1').bytes);
    const p = await page(kv);
    await controller!.persistence!.importSession(writeSessionFile(session), 's.strata.zip');
    const ids = (await savedRuns(p.kv).list()).map((r) => r.id).sort();
    expect(ids).toEqual(['finetuned-1', 'finetuned-2', 'finetuned-3']);
  });

  it('keeps an id only by reserving it: a tab asking for a number before it is stored gets another', async () => {
    // 6 is the last number handed out; the session brings finetuned-7.
    const kv = memoryStore();
    await kv.set(LAST_RUN_NUMBER_KEY, 6);
    const p = await page(kv);
    const persistence = controller!.persistence!;
    const otherTab = savedRuns(kv);
    const handedOut: string[] = [];
    // Another tab starts a run between the import's choice of ids and its writes.
    const put: SavedRuns['put'] = async (run, bytes) => {
      handedOut.push(`finetuned-${await otherTab.newRunNumber()}`);
      return persistence.runs.put(run, bytes);
    };
    const one = { ...session, checkpoints: [checkpoint('finetuned-7')] };
    const ids = await importSession(writeSessionFile(one), 's.strata.zip', {
      engine: p.fake.engine,
      store: p.store,
      persistence: { ...persistence, runs: { ...persistence.runs, put } },
      refreshModels: async () => undefined,
    });
    expect(ids).toEqual(['finetuned-7']);
    expect(handedOut).toEqual(['finetuned-8']);
    expect(kv.data.get(LAST_RUN_NUMBER_KEY)).toBe(8);
  });

  it('a bad file changes nothing: not the storage, the engine, the config', async () => {
    const p = await page();
    const configBefore = p.store.getState().config;
    const broken = edited('checkpoints/finetuned-2/config.json', strToU8('{'));
    await controller!.persistence!.importSession(broken, 'broken.strata.zip');
    expect(p.kv.data.size).toBe(0);
    expect(p.registered).toEqual([]);
    expect(p.store.getState().config).toEqual(configBefore);
    expect(
      p.store
        .getState()
        .ui.alerts.map((a) => a.text)
        .join('\n'),
    ).toMatch(
      /Could not import broken.strata.zip: broken.strata.zip: checkpoints\/finetuned-2\/config.json: not valid JSON/,
    );
  });

  it('a checkpoint the engine refuses, or storage that fills up, changes nothing either', async () => {
    // Write 1: the run numbers kept; 2, 3: the 1st checkpoint, removed again when the 2nd fails.
    const p = await page(memoryStore({ failFromWrite: 4 }));
    await controller!.persistence!.importSession(writeSessionFile(session), 's.strata.zip');
    // Only the raised run number stays: like a discarded run's, it is not handed out again.
    expect([...p.kv.data.keys()]).toEqual([LAST_RUN_NUMBER_KEY]);
    expect(p.registered).toEqual([]);
    controller!.disconnect();
    const q = await page();
    q.fake.handlers.validateCheckpoint = async (_files, source) => {
      throw new Error(`${source}/model.safetensors: tensor "w" is not used by this config`);
    };
    await controller!.persistence!.importSession(writeSessionFile(session), 't.zip');
    expect(q.kv.data.size).toBe(0);
    expect(
      q.store
        .getState()
        .ui.alerts.map((a) => a.text)
        .join('\n'),
    ).toContain('t.zip: checkpoints/finetuned-1/model.safetensors: tensor "w"');
  });

  it('exports what storage holds as a session that reads back', async () => {
    const kv = memoryStore();
    await savedRuns(kv).put(checkpoint('finetuned-1').run, checkpoint('finetuned-1').bytes);
    await page(kv);
    let saved: Blob | null = null;
    const { collectSession } = await import('./sessionTransfer');
    const s = await collectSession(createStrataStore(), controller!.persistence!);
    saved = new Blob([writeSessionFile(s) as BlobPart]);
    const back = readSessionFile(new Uint8Array(await saved.arrayBuffer()), 'e.zip');
    expect(back.checkpoints.map((c) => c.run.id)).toEqual(['finetuned-1']);
    expect(back.checkpoints[0].bytes.weights).toEqual(weights);
  });
});
