import { beforeEach, describe, expect, it } from 'vitest';
import type { ActivationFileReport } from '../../engine/apiTypes';
import { resetStrata, useStrata } from '../store';
import { activationFile, importActivationFiles, leaveActivationsView } from './activationsImport';
import { activationsCaption } from './activationsCaption';
import type { ImportEngine } from '../engineViews';
import { resetImports, useImports } from './importState';
import { cancelImportRead } from './readCancel';
import { ReadCancelledError } from '../../engine/import/readCancel';
import type { DroppedFile } from './types';

const file = (path: string, bytes = 10): DroppedFile => ({
  path,
  file: new File([new Uint8Array(bytes)], path),
});

const report = (fileName: string): ActivationFileReport => ({
  fileName,
  fileBytes: 10,
  layers: ['layer_0', 'layer_1', 'layer_2'],
  widths: [4, 4, 4],
  n: 1000,
  metrics: { cosine: [[1]], cka: [[1]] },
  notes: {},
  agreement: {},
  elapsedMs: 1,
});

describe('importActivationFiles', () => {
  const asked: string[] = [];
  const cancels = new Map<string, () => void>();
  const engine: ImportEngine = {
    importModel: () => Promise.reject(new Error('unused')),
    useImportedModel: () => Promise.reject(new Error('unused')),
    discardImportedModel: async () => undefined,
    listDatasets: async () => [],
    async analyzeActivationFile(f, metrics, _options, onProgress, readId) {
      asked.push(`${f.path} ${metrics.join(',')}`);
      onProgress?.({ phase: `reading ${f.path}`, done: 5, total: 10 });
      // "lost" is interrupted by a device loss the first time it is read.
      if (f.path.startsWith('lost') && asked.length === 1)
        throw Object.assign(new Error('the GPU device was lost (destroyed); ask again'), {
          name: 'DeviceLostError',
        });
      if (f.path.startsWith('bad'))
        throw new Error(`${f.path}: array "b" has 4 rows but "a" has 5`);
      if (f.path.startsWith('none'))
        return {
          ...report(f.path),
          n: 2,
          widths: [3, 4, 4],
          metrics: {},
          notes: {
            cosine: ['cosine needs every layer to have the same width; the widths are 3, 4'],
            'cka-debiased': ['cka-debiased needs N ≥ 4 samples; the file has 2'],
          },
        };
      // "slow" reads until cancelled (as the worker's read loop does); "late" finishes anyway.
      if (f.path.startsWith('slow') || f.path.startsWith('late'))
        await new Promise<void>((resolve, reject) => {
          cancels.set(readId!, () =>
            f.path.startsWith('slow') ? reject(new ReadCancelledError(f.path)) : resolve(),
          );
        });
      return report(f.path);
    },
    async cancelRead(readId) {
      asked.push(`cancel ${readId}`);
      cancels.get(readId)?.();
    },
  };
  beforeEach(() => {
    resetStrata();
    resetImports();
    asked.length = 0;
    useStrata
      .getState()
      .setConfig({ modelId: 'mnist-aligned', dataset: 'mnist', ckaMetric: 'cka-debiased' });
  });

  it('opens the analysis-only view with cosine and the chosen CKA; Back keeps the model', async () => {
    await importActivationFiles([file('acts.npz')], engine);
    expect(asked).toEqual(['acts.npz cosine,cka-debiased']);
    const view = useImports.getState().activations!;
    expect(view).toMatchObject({
      cka: 'cka-debiased',
      previousModelId: 'mnist-aligned',
      previousDataset: 'mnist',
    });
    expect(activationsCaption('Cosine similarity', view.report)).toBe(
      'Cosine similarity · acts.npz · N = 1,000 · 3 layers',
    );
    await importActivationFiles([file('more.npy')], engine);
    expect(useImports.getState().activations?.previousModelId).toBe('mnist-aligned');
    leaveActivationsView();
    expect(useImports.getState().activations).toBeNull();
    expect(useStrata.getState().config.modelId).toBe('mnist-aligned');
  });

  it('reads the file again when a device loss interrupted it, with no error shown', async () => {
    await importActivationFiles([file('lost.npz')], engine);
    expect(asked).toEqual(['lost.npz cosine,cka-debiased', 'lost.npz cosine,cka-debiased']);
    expect(useImports.getState().activations?.report).toEqual(report('lost.npz'));
    expect(useStrata.getState().ui.alerts).toEqual([]);
  });

  it('reports a bad file and keeps everything as it was', async () => {
    await importActivationFiles([file('bad.npz')], engine);
    expect(useStrata.getState().ui.alerts.at(-1)).toMatchObject({
      kind: 'error',
      text: 'Activations not opened: bad.npz: array "b" has 4 rows but "a" has 5',
    });
    expect(useImports.getState()).toMatchObject({ activations: null, progress: null });
  });

  it('refuses a file none of whose metrics applies, naming it, instead of an empty view', async () => {
    await importActivationFiles([file('none.npz')], engine);
    expect(useStrata.getState().ui.alerts.map((a) => a.text)).toEqual([
      'Activations not opened: none.npz: no similarity could be computed (cosine needs every layer to have the same width; the widths are 3, 4; cka-debiased needs N ≥ 4 samples; the file has 2).',
    ]);
    expect(useImports.getState()).toMatchObject({ activations: null, progress: null });
  });

  it('names the dropped file when another is still being read', async () => {
    useImports.setState({ progress: { label: 'Reading acts.npz', event: null } });
    await importActivationFiles([file('later.npz')], engine);
    expect(useStrata.getState().ui.alerts.map((a) => a.text)).toEqual([
      'later.npz: not opened, a file is still being read (Reading acts.npz); drop it again when that is done.',
    ]);
    expect(asked).toEqual([]);
  });

  it('refuses other files and several files before reading', async () => {
    expect(() => activationFile([file('a.csv')])).toThrow(
      'a.csv: not an activation file; expected .npz, .npy, .safetensors of [N, D] arrays (one per layer) or one [L, N, D] array',
    );
    expect(() => activationFile([file('a.npz'), file('b.npz')])).toThrow(
      'a.npz, b.npz: 2 files; expected one activation file (.npz, .npy, .safetensors) holding every layer',
    );
    await importActivationFiles([file('a.npy'), file('b.npy')], engine);
    expect(asked).toEqual([]);
    expect(useStrata.getState().ui.alerts).toHaveLength(1);
  });

  it('Cancel stops the read, keeps the view on show and says "cancelled", not an error', async () => {
    await importActivationFiles([file('acts.npz')], engine);
    const before = useImports.getState().activations;
    for (const name of ['slow.npy', 'late.npy']) {
      const reading = importActivationFiles([file(name)], engine);
      const { readId } = useImports.getState().progress!;
      expect(readId).toMatch(/^read-\d+$/);
      cancelImportRead(engine);
      expect(useImports.getState().progress?.cancelling).toBe(true);
      await reading;
      expect(asked.at(-1)).toBe(`cancel ${readId}`);
      expect(useStrata.getState().ui.alerts.at(-1)).toMatchObject({
        kind: 'notice',
        text: `Reading ${name} cancelled.`,
      });
      expect(useImports.getState()).toMatchObject({ activations: before, progress: null });
    }
    expect(useStrata.getState().ui.alerts.filter((a) => a.kind === 'error')).toEqual([]);
  });
});
