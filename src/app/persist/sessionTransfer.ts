// Export and import of a whole session (config, fine-tune results, saved checkpoints) as one file.
// An import is checked in full — the zip, the manifest, every checkpoint through the engine's own
// loader — before anything is stored, registered or applied, so a bad file changes nothing.
import type { ModelInfo } from '../../engine/apiTypes';
import type { ExplorerEngine } from '../engineViews';
import { isTrainingActive } from '../state/run';
import type { StrataStore } from '../store';
import { errorMessage } from '../effects/watch';
import { isUnfinished, type SavedRun, type SavedRuns, type UnsavedRun } from './savedRuns';
import {
  readSessionFile,
  sessionFileName,
  writeSessionFile,
  type Session,
  type SessionCheckpoint,
} from './sessionFile';

/** What a session transfer needs of the page's persistence (persistence.ts hands itself). */
export interface SessionStorage {
  runs: SavedRuns;
  /** Runs whose last snapshot could not be stored, newest per id. */
  unsaved(): UnsavedRun[];
  /** Shows a finished run's results when no run is active. */
  show(run: Omit<SavedRun, 'bytesKey' | 'savedAt'>): void;
  /** Offers `run` for resume in this tab. */
  offer(run: SavedRun): Promise<void>;
}

/** The session as it stands: storage's checkpoints plus any the browser could not store. */
export async function collectSession(
  store: StrataStore,
  persistence: SessionStorage,
  now = new Date(),
): Promise<Session> {
  const byId = new Map<string, SessionCheckpoint>();
  for (const run of await persistence.runs.list()) {
    const rest: SessionCheckpoint['run'] = { ...run };
    delete (rest as Partial<SavedRun>).bytesKey;
    delete (rest as Partial<SavedRun>).savedAt;
    byId.set(run.id, { run: rest, bytes: await persistence.runs.bytes(run) });
  }
  for (const u of persistence.unsaved()) {
    const saved = byId.get(u.run.id);
    if (!saved || saved.run.step < u.run.step) byId.set(u.run.id, u);
  }
  const { config, results } = store.getState();
  const portable = { ...config };
  delete portable.backend;
  return {
    createdAt: now.toISOString(),
    config: portable,
    results: {
      training: {
        modelId: results.training.model?.id ?? null,
        evals: results.training.evals,
      },
    },
    checkpoints: [...byId.values()],
  };
}

/** Builds the session file and hands it to the browser as a download. */
export async function exportSession(
  store: StrataStore,
  persistence: SessionStorage,
): Promise<void> {
  const now = new Date();
  const bytes = writeSessionFile(await collectSession(store, persistence, now));
  const name = sessionFileName(now);
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/zip' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Imports a session file: checks it all, stores its checkpoints (new ids where they would clash
 * with this browser's), loads the finished ones into the engine, offers an unfinished one for
 * resume, and applies its config. Returns the ids the checkpoints were stored under.
 */
export async function importSession(
  bytes: Uint8Array,
  fileName: string,
  deps: {
    engine: ExplorerEngine;
    store: StrataStore;
    persistence: SessionStorage;
    refreshModels: () => Promise<void>;
  },
): Promise<string[]> {
  const { engine, store, persistence, refreshModels } = deps;
  const session = readSessionFile(bytes, fileName);
  for (const { run, bytes: files } of session.checkpoints)
    await engine.validateCheckpoint(
      { weights: files.weights, config: files.config },
      `${fileName}: checkpoints/${run.id}`,
    );

  const taken = new Set([
    ...(await engine.listModels()).map((m) => m.id),
    ...(await persistence.runs.list()).map((r) => r.id),
  ]);
  // Checked and reserved in one step under the store lock: an id this browser may have handed to
  // a run not saved yet (another tab's) is renamed, and a kept one is handed to no tab later.
  const ids = await persistence.runs.reserveRunIds(
    session.checkpoints.map((c) => c.run.id),
    taken,
  );
  const renamed = new Map<string, string>();
  const toStore = [];
  for (const [i, { run, bytes: files }] of session.checkpoints.entries()) {
    const id = ids[i];
    renamed.set(run.id, id);
    const info: ModelInfo = {
      ...run.info,
      id,
      title: id === run.id ? run.info.title : `${run.info.title} (imported as ${id})`,
    };
    toStore.push({ run: { ...run, id, info }, bytes: files });
  }

  // Store all, or none: a failure part-way removes what this import wrote.
  const stored: SavedRun[] = [];
  try {
    for (const c of toStore) stored.push(await persistence.runs.put(c.run, c.bytes));
  } catch (e) {
    await Promise.all(stored.map((r) => persistence.runs.discard(r.id).catch(() => undefined)));
    throw new Error(
      `${fileName}: could not store its checkpoints in this browser (${errorMessage(e)}); nothing was imported`,
    );
  }
  for (const run of stored.filter((r) => !isUnfinished(r)))
    await engine.registerCheckpoint(run.info, {
      weights: toStore.find((c) => c.run.id === run.id)!.bytes.weights,
      config: toStore.find((c) => c.run.id === run.id)!.bytes.config,
    });
  await refreshModels();

  const s = store.getState();
  const models = s.results.models;
  const known = (id: string | null) => (id === null ? null : (renamed.get(id) ?? id));
  const listed = (id: string | null) => (id && models.some((m) => m.id === id) ? id : null);
  const { config } = session;
  const modelId = listed(known(config.modelId)) ?? s.config.modelId;
  const model = models.find((m) => m.id === modelId);
  s.setConfig({
    ...config,
    modelId,
    dataset: model?.dataset ?? s.config.dataset,
    compare: {
      ...config.compare,
      a: listed(known(config.compare.a)) ?? s.config.compare.a,
      b: listed(known(config.compare.b)) ?? s.config.compare.b,
    },
  });
  if (!isTrainingActive(s.run.training.state)) {
    const shown = stored.find((r) => r.id === known(session.results.training.modelId));
    if (shown && !isUnfinished(shown))
      persistence.show({ ...shown, evals: session.results.training.evals });
    const unfinished = stored.filter(isUnfinished);
    if (unfinished.length) await persistence.offer(unfinished[unfinished.length - 1]);
  }
  return stored.map((r) => r.id);
}
