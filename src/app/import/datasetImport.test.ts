import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { DatasetInfo, StagedDataset } from '../../engine/apiTypes';
import { DATASETS, MODELS } from '../effects/testing';
import { resetStrata, useStrata } from '../store';
import type { DatasetEngine, ImportEngine } from '../engineViews';
import { adoptPending, cancelPending, importDataset, resplitPending } from './datasetImport';
import { resetDatasetImport, useDatasetImport } from './datasetImportState';
import { importDropped, type DropTargets } from './importDropped';
import { resetImports, useImports } from './importState';
import { cancelImportRead } from './readCancel';
import { ReadCancelledError } from '../../engine/import/readCancel';

const file = (path: string) => ({ path, file: new File(['x'], path) });

function staged(testFraction = 0.2): StagedDataset {
  return {
    id: 'staged-1',
    testFraction,
    notes: [],
    summary: {
      ...DATASETS[0],
      name: 'staged-1',
      title: 'digits',
      origin: 'user',
      trainClassCounts: [1, 1, 1],
      testClassCounts: [1, 0, 0],
      preview: { labels: [0] },
    },
  };
}

const unused = () => Promise.reject(new Error('not in this test'));

function fakeEngine(): ImportEngine & DatasetEngine & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    importModel: unused,
    useImportedModel: unused,
    discardImportedModel: unused,
    listDatasets: unused,
    analyzeActivationFile: unused,
    cancelRead: unused,
    async importDataset(request, onProgress) {
      calls.push(`import ${request.format} ${request.title}`);
      onProgress?.({ phase: 'reading', done: 1, total: 2 });
      if (request.title === 'bad.csv') throw new Error('row 3 of bad.csv: 3 fields, expected 2');
      return staged();
    },
    async resplitImportedDataset(id, f) {
      calls.push(`resplit ${id} ${f}`);
      return staged(f);
    },
    async useImportedDataset(id, f): Promise<DatasetInfo> {
      calls.push(`use ${id} ${f}`);
      return {
        ...DATASETS[0],
        name: 'user-digits',
        title: 'digits',
        origin: 'user',
      };
    },
    async discardImportedDataset(id) {
      calls.push(`discard ${id}`);
    },
  };
}

describe('dataset import on the page', () => {
  let engine: ReturnType<typeof fakeEngine>;
  let targets: DropTargets;
  beforeEach(() => {
    resetStrata();
    resetImports();
    resetDatasetImport();
    engine = fakeEngine();
    targets = { engine, sessions: () => null };
    useStrata.getState().applyCatalog(MODELS, DATASETS);
    useStrata.getState().setRun({ status: 'ready' });
  });

  it('stages a drop as it is (not fitted to the model on show), resplits, uses and studies it', async () => {
    await importDropped([file('digits/0/a.png'), file('digits/1/b.png')], targets);
    expect(engine.calls).toEqual(['import images digits']);
    expect(useImports.getState().progress).toBeNull();
    expect(useDatasetImport.getState().pending?.staged.id).toBe('staged-1');
    await resplitPending(0.3, engine);
    expect(useDatasetImport.getState().pending?.staged.testFraction).toBe(0.3);
    await adoptPending(engine);
    expect(engine.calls.slice(1)).toEqual(['resplit staged-1 0.3', 'use staged-1 0.3']);
    expect(useDatasetImport.getState().pending).toBeNull();
    const { config, results } = useStrata.getState();
    expect(results.datasets.map((d) => d.name)).toContain('user-digits');
    expect(config).toMatchObject({ dataset: 'user-digits', modelId: 'mnist-aligned' });
  });

  it('a file opened while the engine starts waits for it, saying so, then imports', async () => {
    useStrata.getState().setRun({ status: 'starting' });
    const done = importDropped([file('reviews.jsonl')], targets);
    await vi.waitFor(() =>
      expect(useImports.getState().progress?.label).toBe('reviews.jsonl: waiting for the engine'),
    );
    expect(engine.calls).toEqual([]);
    useStrata.getState().setRun({ status: 'ready' });
    await done;
    expect(engine.calls).toEqual(['import jsonl reviews.jsonl']);
    expect(useDatasetImport.getState().pending?.staged.id).toBe('staged-1');
    expect(useStrata.getState().ui.alerts).toEqual([]);
  });

  it('two files opened while the engine starts are both imported, in order, once it is', async () => {
    useStrata.getState().setRun({ status: 'starting' });
    const first = importDropped([file('reviews.jsonl')], targets);
    const second = importDropped([file('digits.csv')], targets);
    await vi.waitFor(() => expect(useImports.getState().progress).not.toBeNull());
    useStrata.getState().setRun({ status: 'ready' });
    await Promise.all([first, second]);
    // Both are read; the later one's preview replaces the earlier one's, as for two drops.
    expect(engine.calls.slice(0, 2)).toEqual([
      'import jsonl reviews.jsonl',
      'import csv digits.csv',
    ]);
    expect(useDatasetImport.getState().pending?.title).toBe('digits.csv');
    expect(useStrata.getState().ui.alerts).toEqual([]);
    expect(useImports.getState().progress).toBeNull();
  });

  it('a file opened while the engine starts is refused by name if the engine fails', async () => {
    useStrata.getState().setRun({ status: 'starting' });
    const done = importDropped([file('reviews.jsonl')], targets);
    useStrata.getState().setRun({ status: 'failed', error: 'no backend could start' });
    await done;
    expect(engine.calls).toEqual([]);
    expect(useImports.getState().progress).toBeNull();
    expect(useStrata.getState().ui.alerts.map((a) => a.text)).toEqual([
      'reviews.jsonl was not opened: the engine did not start (no backend could start).',
    ]);
  });

  it('reports a parse error with its place and keeps what the page had', async () => {
    const before = useStrata.getState().config;
    await importDataset([file('bad.csv')], 'csv', 'bad.csv', {}, engine);
    expect(useStrata.getState().ui.alerts.map((a) => a.text)).toEqual([
      'Dataset not imported: row 3 of bad.csv: 3 fields, expected 2',
    ]);
    expect(useStrata.getState().config).toBe(before);
    expect(useDatasetImport.getState().pending).toBeNull();
    expect(useImports.getState().progress).toBeNull();
  });

  it('cancel discards the staged rows in the worker', async () => {
    await importDataset([file('r.jsonl')], 'jsonl', 'r.jsonl', {}, engine);
    cancelPending(engine);
    expect(useDatasetImport.getState().pending).toBeNull();
    await vi.waitFor(() => expect(engine.calls).toContain('discard staged-1'));
  });

  it('Cancel on the progress stops the read: nothing staged, a notice and no error', async () => {
    const cancelled: string[] = [];
    let stop = () => {};
    engine.importDataset = (request) =>
      new Promise((_, reject) => {
        stop = () => reject(new ReadCancelledError(request.title));
      });
    engine.cancelRead = async (readId) => {
      cancelled.push(readId);
      stop();
    };
    const reading = importDataset([file('big.csv')], 'csv', 'big.csv', {}, engine);
    const { readId } = useImports.getState().progress!;
    cancelImportRead(engine);
    await reading;
    expect(cancelled).toEqual([readId]);
    expect(useStrata.getState().ui.alerts).toMatchObject([
      { kind: 'notice', text: 'Reading dataset big.csv cancelled.' },
    ]);
    expect(useDatasetImport.getState().pending).toBeNull();
    expect(useImports.getState().progress).toBeNull();
  });

  it('routes what it cannot read, and sessions, to messages or the session import', async () => {
    await importDropped([file('notes.txt')], targets);
    expect(useStrata.getState().ui.alerts.at(-1)).toMatchObject({
      kind: 'error',
      text: expect.stringMatching(/^notes\.txt: not a dataset, model or activations file/),
    });
    await importDropped([file('run.strata.zip')], targets);
    expect(useStrata.getState().ui.alerts.at(-1)?.text).toMatch(
      /run\.strata\.zip: the engine is not ready yet/,
    );
    const got: string[] = [];
    const sessions = () => ({
      importSession: async (_: Uint8Array, path: string) => void got.push(path),
    });
    await importDropped([file('run.strata.zip')], { engine, sessions });
    expect(got).toEqual(['run.strata.zip']);
    expect(engine.calls).toEqual([]);
  });
});
