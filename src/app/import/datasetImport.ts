// Users' datasets (issue 6): the worker reads and checks the dropped files and stages the rows;
// the page shows a preview with the split; "Use this dataset" registers it and studies it with a
// model that can read it; "Cancel" discards it. Every problem goes to the alert region and leaves
// the dataset, model and results on show as they were.
import type { DatasetFormat } from '../../engine/apiTypes';
import { errorMessage } from '../effects/watch';
import type { DatasetEngine } from '../engineViews';
import { useStrata } from '../store';
import { pageEngine } from '../useEngine';
import { useDatasetImport } from './datasetImportState';
import { stillReadingMessage, useImports } from './importState';
import { endedByCancel, newReadId } from './readCancel';
import type { DroppedFile } from './types';
import { selectUserDataset } from './userDatasetSelection';

function discard(engine: DatasetEngine, id: string): void {
  // A stage the engine no longer holds is gone anyway.
  engine.discardImportedDataset(id).catch(() => undefined);
}

/**
 * Reads a dataset drop in the worker and shows its preview. Never throws: a problem becomes an
 * error in the alert region and nothing changes.
 */
export async function importDataset(
  files: DroppedFile[],
  format: DatasetFormat,
  title: string,
  columns: { text?: string; label?: string } = {},
  engine: DatasetEngine = pageEngine,
): Promise<void> {
  const { addAlert } = useStrata.getState();
  const busy = useImports.getState().progress;
  if (busy) {
    addAlert('error', stillReadingMessage(title, busy.label));
    return;
  }
  const readId = newReadId();
  useImports.setState({ progress: { label: `Reading dataset ${title}`, event: null, readId } });
  try {
    const staged = await engine.importDataset(
      {
        files: files.map((f) => ({ path: f.path, file: f.file })),
        format,
        title,
        textColumn: columns.text,
        labelColumn: columns.label,
        readId,
      },
      (event) =>
        useImports.setState((s) => (s.progress ? { progress: { ...s.progress, event } } : {})),
    );
    if (endedByCancel(readId)) {
      discard(engine, staged.id);
      addAlert('notice', `Reading dataset ${title} cancelled.`);
      return;
    }
    const previous = useDatasetImport.getState().pending;
    useDatasetImport.setState({ pending: { staged, files, format, title }, busy: false });
    if (previous) discard(engine, previous.staged.id);
  } catch (e) {
    if (endedByCancel(readId, e)) addAlert('notice', `Reading dataset ${title} cancelled.`);
    else addAlert('error', `Dataset not imported: ${errorMessage(e)}`);
  } finally {
    useImports.setState({ progress: null });
  }
}

/** Runs `job` on the pending dataset, one at a time; problems go to the alert region. */
async function onPending(job: (id: string) => Promise<void>, what: string): Promise<void> {
  const { pending, busy } = useDatasetImport.getState();
  if (!pending || busy) return;
  useDatasetImport.setState({ busy: true });
  try {
    await job(pending.staged.id);
  } catch (e) {
    useStrata.getState().addAlert('error', `${what}: ${errorMessage(e)}`);
  } finally {
    useDatasetImport.setState({ busy: false });
  }
}

/** Shows the pending dataset's preview at another test fraction. */
export function resplitPending(
  testFraction: number,
  engine: DatasetEngine = pageEngine,
): Promise<void> {
  return onPending(async (id) => {
    const staged = await engine.resplitImportedDataset(id, testFraction);
    useDatasetImport.setState((s) => (s.pending ? { pending: { ...s.pending, staged } } : {}));
  }, 'Could not change the split');
}

/** Reads the pending text CSV again with other columns. */
export async function choosePendingColumns(
  text: string,
  label: string,
  engine: DatasetEngine = pageEngine,
): Promise<void> {
  const pending = useDatasetImport.getState().pending;
  if (!pending) return;
  await importDataset(pending.files, pending.format, pending.title, { text, label }, engine);
}

/** "Use this dataset": registers it, lists it as the user's and studies it. */
export function adoptPending(engine: DatasetEngine = pageEngine): Promise<void> {
  return onPending(async (id) => {
    const { staged } = useDatasetImport.getState().pending!;
    const info = await engine.useImportedDataset(id, staged.testFraction);
    const { results, setResults } = useStrata.getState();
    setResults({ datasets: [...results.datasets.filter((d) => d.name !== info.name), info] });
    useDatasetImport.setState({ pending: null });
    selectUserDataset(info.name);
  }, 'Dataset not used');
}

/** "Cancel": forgets the pending dataset. */
export function cancelPending(engine: DatasetEngine = pageEngine): void {
  const pending = useDatasetImport.getState().pending;
  if (!pending) return;
  useDatasetImport.setState({ pending: null, busy: false });
  discard(engine, pending.staged.id);
}
