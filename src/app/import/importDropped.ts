// Where a drop goes: recognition (classify.ts) picks the importer. Every path ends in the alert
// region or an importer's own view; nothing here throws.
import { getExplorer } from '../effects/connect';
import { errorMessage } from '../effects/watch';
import { whenEngineReady } from '../engineReady';
import { useStrata } from '../store';
import { importActivationFiles } from './activationsImport';
import { classifyDrop } from './classify';
import { importDataset } from './datasetImport';
import { useImports } from './importState';
import { importModelFiles } from './modelImport';
import type { DropImporter, DroppedFile } from './types';

let sessionImporter: DropImporter | null = null;

/**
 * The hook for saved sessions (*.strata.zip): session import registers its importer here, and
 * the drop zone hands such files to it.
 */
export function setSessionImporter(importer: DropImporter | null): void {
  sessionImporter = importer;
}

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
export function importDropped(files: DroppedFile[]): Promise<void> {
  if (!queue && useStrata.getState().run.status === 'ready') return importNow(files);
  const job = (queue ?? Promise.resolve()).then(() => importNow(files));
  queue = job;
  const done = () => {
    if (queue === job) queue = null;
  };
  job.then(done, done);
  return job;
}

async function importNow(files: DroppedFile[]): Promise<void> {
  const { addAlert } = useStrata.getState();
  try {
    const recognition = classifyDrop(files);
    if (recognition.kind !== 'unknown' && !(await engineStarted(recognition.title))) return;
    switch (recognition.kind) {
      case 'dataset':
        return await importDataset(files, recognition.format, recognition.title);
      case 'model':
        return await importModelFiles(files);
      case 'activations':
        return await importActivationFiles(files);
      case 'session': {
        if (sessionImporter) return await sessionImporter(files);
        // The page's own session import (the Session menu's), with its checks and messages.
        const persistence = getExplorer()?.persistence;
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
