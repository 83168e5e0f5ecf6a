// Users' activation files (issue 6): one .npz / .npy / .safetensors of per-layer arrays, read and
// analysed in the worker, opens the analysis-only view; "Back" returns to the model on show.
import { errorMessage } from '../effects/watch';
import { useStrata } from '../store';
import { retryOnDeviceLoss } from '../effects/deviceLoss';
import type { ImportEngine } from '../engineViews';
import { pageEngine } from '../useEngine';
import { stillReadingMessage, useImports } from './importState';
import { endedByCancel, newReadId } from './readCancel';
import type { DroppedFile } from './types';

/** Largest activation file the page reads (the worker holds it whole: explicit, and said so). */
export const MAX_ACTIVATION_BYTES = 1024 ** 3;
export const ACTIVATION_EXTENSIONS = ['.npz', '.npy', '.safetensors'];

/** The one activation file of a drop; throws an Error naming the files and what was expected. */
export function activationFile(files: readonly DroppedFile[]): DroppedFile {
  if (files.length !== 1)
    throw new Error(
      `${files.map((f) => f.path).join(', ') || 'nothing'}: ${files.length} files; expected one activation file (${ACTIVATION_EXTENSIONS.join(', ')}) holding every layer`,
    );
  const [f] = files;
  const lower = f.path.toLowerCase();
  if (!ACTIVATION_EXTENSIONS.some((ext) => lower.endsWith(ext)))
    throw new Error(
      `${f.path}: not an activation file; expected ${ACTIVATION_EXTENSIONS.join(', ')} of [N, D] arrays (one per layer) or one [L, N, D] array`,
    );
  if (f.file.size > MAX_ACTIVATION_BYTES)
    throw new Error(
      `${f.path}: ${(f.file.size / 1024 ** 3).toFixed(2)} GB, over the page's limit of 1 GB per activation file`,
    );
  return f;
}

/**
 * The drop zone's importer of activations: reads the file in the worker (with progress), computes
 * cosine and the chosen CKA between its layers, and opens the analysis-only view. Reports any
 * problem in the alert region and changes nothing; never throws. Cancel on the progress bar stops
 * the read and keeps nothing, with a notice instead of an error.
 */
export async function importActivationFiles(
  files: readonly DroppedFile[],
  engine: ImportEngine = pageEngine,
): Promise<void> {
  const { addAlert, config } = useStrata.getState();
  const busy = useImports.getState().progress;
  if (busy) {
    addAlert('error', stillReadingMessage(files.map((f) => f.path).join(', '), busy.label));
    return;
  }
  const readId = newReadId();
  let path = '';
  try {
    const f = activationFile(files);
    path = f.path;
    useImports.setState({ progress: { label: `Reading ${f.path}`, event: null, readId } });
    const cka = config.ckaMetric;
    // A device loss interrupts the read: the engine reads it again on its next backend.
    const report = await retryOnDeviceLoss(() =>
      engine.analyzeActivationFile(
        { path: f.path, file: f.file },
        ['cosine', cka],
        {},
        (event) =>
          useImports.setState((s) => (s.progress ? { progress: { ...s.progress, event } } : {})),
        readId,
      ),
    );
    if (endedByCancel(readId)) {
      addAlert('notice', `Reading ${f.path} cancelled.`);
      return;
    }
    // A view with no chart would leave the page emptier and say nothing: refuse it, saying why.
    if (Object.keys(report.metrics).length === 0) {
      const why = Object.values(report.notes).flat().join('; ');
      throw new Error(`${f.path}: no similarity could be computed (${why}).`);
    }
    // Opened from the analysis-only view, "Back" still goes to the model before the first file.
    const before = useImports.getState().activations;
    const { modelId, dataset } = useStrata.getState().config;
    useImports.setState({
      activations: {
        report,
        cka,
        previousModelId: before ? before.previousModelId : modelId,
        previousDataset: before ? before.previousDataset : dataset,
      },
    });
  } catch (e) {
    if (endedByCancel(readId, e)) addAlert('notice', `Reading ${path} cancelled.`);
    else addAlert('error', `Activations not opened: ${errorMessage(e)}`);
  } finally {
    useImports.setState({ progress: null });
  }
}

/**
 * "Back to <model>": leaves the analysis-only view. The view never touches the config or the
 * results (choosing another model closes it), so the model, dataset and pictures are as they were.
 */
export function leaveActivationsView(): void {
  useImports.setState({ activations: null });
}
