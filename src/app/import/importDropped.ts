// Where a drop goes: recognition (classify.ts) picks the importer. Every path ends in the alert
// region or an importer's own view; nothing here throws.
import { getExplorer } from '../effects/connect';
import { errorMessage } from '../effects/watch';
import { whenEngineReady } from '../engineReady';
import type { DatasetEngine, ImportEngine, ModelImportEngine } from '../engineViews';
import type { Persistence } from '../persist/persistence';
import { useStrata } from '../store';
import { pageEngine } from '../useEngine';
import { importDecoderFiles, isDecoderDrop } from '../lens/decoderImport';
import { useLens } from '../lens/lensState';
import { openLensTexts } from '../lens/lensTexts';
import { importActivationFiles } from './activationsImport';
import { classifyDrop } from './classify';
import { importDataset } from './datasetImport';
import { useImports } from './importState';
import { importModelFiles } from './modelImport';
import type { DroppedFile } from './types';

/** Where a drop can go: the engine's importers, and the saved-session import of the explorer. */
export interface DropTargets {
  engine: ImportEngine & DatasetEngine;
  /** Reviews dropped models and loads their weights (the page's engine unless given). */
  models?: ModelImportEngine;
  /** Imports a *.strata.zip; null until the explorer is connected. */
  sessions(): Pick<Persistence, 'importSession'> | null;
}

const pageTargets: DropTargets = {
  engine: pageEngine,
  sessions: () => getExplorer()?.persistence ?? null,
};

/**
 * Waits, showing it, for an engine that is still starting (a file opened as the page loads).
 * False, with an alert naming the file, if the engine failed to start.
 */
async function engineStarted(title: string): Promise<boolean> {
  if (useStrata.getState().run.status === 'ready') return true;
  useImports.setState({ progress: { label: `${title}: waiting for the engine`, event: null } });
  try {
    await whenEngineReady();
    return true;
  } catch (e) {
    useStrata
      .getState()
      .addAlert('error', `${title} was not opened: the engine did not start (${errorMessage(e)}).`);
    return false;
  } finally {
    useImports.setState({ progress: null });
  }
}

/** The drops made while the engine was starting, each imported after the one before it. */
let queue: Promise<void> | null = null;

/**
 * Hands a drop (or a picker's files) to the importer its recognition names. Drops made while the
 * engine starts queue up, so that several are all imported once it is ready, in order, instead of
 * the later ones being refused as "still being read".
 */
export function importDropped(
  files: DroppedFile[],
  targets: DropTargets = pageTargets,
): Promise<void> {
  if (!queue && useStrata.getState().run.status === 'ready') return importNow(files, targets);
  const job = (queue ?? Promise.resolve()).then(() => importNow(files, targets));
  queue = job;
  const done = () => {
    if (queue === job) queue = null;
  };
  job.then(done, done);
  return job;
}

async function importNow(
  files: DroppedFile[],
  { engine, sessions, models = pageEngine }: DropTargets,
): Promise<void> {
  const { addAlert } = useStrata.getState();
  try {
    // A lone .txt is no dataset; with a language model open it is the lens's texts.
    if (files.length === 1 && /\.txt$/i.test(files[0].path) && useLens.getState().model)
      return await openLensTexts(files[0].file, files[0].path);
    const recognition = classifyDrop(files);
    if (recognition.kind !== 'unknown' && !(await engineStarted(recognition.title))) return;
    switch (recognition.kind) {
      case 'dataset':
        return await importDataset(files, recognition.format, recognition.title, {}, engine);
      case 'model':
        if (await isDecoderDrop(files)) return await importDecoderFiles(files);
        return await importModelFiles(files, models);
      case 'activations':
        return await importActivationFiles(files, engine);
      case 'session': {
        // The page's own session import (the Session menu's), with its checks and messages.
        const persistence = sessions();
        if (!persistence) {
          addAlert(
            'notice',
            `${recognition.title}: the engine is not ready yet; drop it again in a moment.`,
          );
          return;
        }
        const { file, path } = files[0];
        return await persistence.importSession(new Uint8Array(await file.arrayBuffer()), path);
      }
      case 'unknown':
        addAlert('error', recognition.message);
    }
  } catch (e) {
    addAlert('error', `The dropped files could not be read: ${errorMessage(e)}`);
  }
}
