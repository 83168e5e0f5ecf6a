// Where a drop goes: recognition (classify.ts) picks the importer. Every path ends in the alert
// region or an importer's own view; nothing here throws.
import { getExplorer } from '../effects/connect';
import { errorMessage } from '../effects/watch';
import { useStrata } from '../store';
import { importActivationFiles } from './activationsImport';
import { classifyDrop } from './classify';
import { importDataset } from './datasetImport';
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

/** Hands a drop (or a picker's files) to the importer its recognition names. */
export async function importDropped(files: DroppedFile[]): Promise<void> {
  const { addAlert } = useStrata.getState();
  try {
    const recognition = classifyDrop(files);
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
