import { beforeEach, describe, expect, it } from 'vitest';
import type { DatasetInfo, ModelImportSummary, ModelInfo } from '../../engine/apiTypes';
import { resetStrata, useStrata } from '../store';
import type { ModelImportEngine } from '../engineViews';
import { cancelWeightsLoad, useWeightsLoad } from './weightsLoad';
import { weightsProgressText } from './WeightsProgress';
import { resetImports, useImports } from './importState';
import {
  adoptImportedModel,
  cancelImportedModel,
  checkpointRequest,
  datasetFor,
  importModelFiles,
  neededDataset,
} from './modelImport';
import type { DroppedFile } from './types';

const file = (path: string, bytes = 10): DroppedFile => ({
  path,
  file: new File([new Uint8Array(bytes)], path.slice(path.lastIndexOf('/') + 1)),
});

const dataset = (name: string, shape: number[]): DatasetInfo => ({
  name,
  title: name.toUpperCase(),
  kind: 'image',
  classNames: Array.from({ length: 10 }, (_, i) => String(i)),
  inputShape: shape,
  trainCount: 1,
  testCount: 1,
  source: '',
  licence: '',
});

const model = (id: string, ds: string): ModelInfo => ({
  id,
  title: id,
  dataset: ds,
  loss: 'aligned',
  numLayers: 6,
  hiddenSize: 64,
  numClasses: 10,
  kind: 'image',
  perLayerHeads: false,
  builtin: true,
  revision: 0,
});

const summary = (over: Partial<ModelImportSummary> = {}): ModelImportSummary => ({
  token: 'import-1',
  name: 'vit-mnist',
  architecture: 'ViTForImageClassification',
  kind: 'image',
  numLayers: 2,
  hiddenSize: 16,
  numHeads: 2,
  numClasses: 10,
  classNames: ['0', '1'],
  parameters: 1234,
  weights: { tensors: 20, bytes: 4936 },
  inputShape: [28, 28, 1],
  notes: [],
  unusedTensors: [],
  datasets: [
    { dataset: 'fashion', fits: false, reason: 'no' },
    { dataset: 'mnist', fits: true },
  ],
  ...over,
});

/** The engine the importers under test are given (set by fakeEngine). */
let engine: ModelImportEngine;

function fakeEngine(over: Partial<ModelImportEngine> = {}) {
  const calls: string[] = [];
  engine = {
    async reviewModel(req, onProgress) {
      calls.push(
        `import ${req.name} ${req.config.path} ${req.weights.path} ${req.tokenizer?.path ?? '-'}`,
      );
      onProgress?.({ phase: 'reading', done: 1, total: 2 });
      return summary({ name: req.name });
    },
    async loadImportedWeights(token) {
      calls.push(`load ${token}`);
    },
    async useImportedModel(token, ds) {
      calls.push(`use ${token} ${ds}`);
      return { ...model('user-vit-mnist', ds), builtin: false, loss: 'standard' };
    },
    async discardImportedModel(token) {
      calls.push(`discard ${token}`);
    },
    listDatasets: async () => [],
    async analyzeActivationFile() {
      throw new Error('not in this test');
    },
    cancelRead: async () => undefined,
    ...over,
  };
  return calls;
}

describe('checkpointRequest', () => {
  it('takes config.json, model.safetensors and a tokenizer from a folder', () => {
    const r = checkpointRequest([
      file('bert/config.json'),
      file('bert/model.safetensors'),
      file('bert/vocab.txt'),
      file('bert/README.md'),
    ]);
    expect([r.name, r.config.path, r.weights.path, r.tokenizer?.path]).toEqual([
      'bert',
      'bert/config.json',
      'bert/model.safetensors',
      'bert/vocab.txt',
    ]);
    expect(checkpointRequest([file('config.json'), file('weights.safetensors')]).name).toBe(
      'weights',
    );
  });

  it('names what is missing or ambiguous', () => {
    expect(() => checkpointRequest([file('m/model.safetensors')])).toThrow(
      'm/model.safetensors: no config.json; a model needs its config.json and model.safetensors',
    );
    expect(() => checkpointRequest([file('m/config.json'), file('m/pytorch_model.bin')])).toThrow(
      /^m\/pytorch_model\.bin: a PyTorch pickle, which Strata does not read .*save_pretrained\("m", safe_serialization=True\).*save_file\(/,
    );
    expect(() =>
      checkpointRequest([
        file('config.json'),
        file('model-00001-of-00002.safetensors'),
        file('model-00002-of-00002.safetensors'),
      ]),
    ).toThrow(
      /2 weight files and no model\.safetensors\.index\.json; expected one model\.safetensors, or the shards with their index/,
    );
    expect(() => checkpointRequest([file('a/config.json'), file('b/config.json')])).toThrow(
      'a/config.json, b/config.json: 2 config.json files; drop one model at a time',
    );
  });
});

describe('checkpointRequest: sharded checkpoints', () => {
  it('takes the index as the weights and every shard beside it', () => {
    const r = checkpointRequest([
      file('big/config.json'),
      file('big/model.safetensors.index.json'),
      file('big/model-00001-of-00002.safetensors'),
      file('big/model-00002-of-00002.safetensors'),
    ]);
    expect(r.name).toBe('big');
    expect(r.weights.path).toBe('big/model.safetensors.index.json');
    expect(r.shards?.map((s) => s.path)).toEqual([
      'big/model-00001-of-00002.safetensors',
      'big/model-00002-of-00002.safetensors',
    ]);
  });

  it('does not limit the size of the weights: the worker streams them', () => {
    const big = { path: 'm/model.safetensors', file: { size: 3 * 1024 ** 3 } as File };
    expect(checkpointRequest([file('m/config.json'), big]).weights.path).toBe(
      'm/model.safetensors',
    );
  });
});

describe('datasetFor', () => {
  it('keeps the current dataset when it fits, else takes the first that does', () => {
    expect(datasetFor(summary(), 'mnist')).toEqual({
      fit: { dataset: 'mnist', fits: true },
      keepsCurrent: true,
    });
    expect(datasetFor(summary(), 'fashion')).toEqual({
      fit: { dataset: 'mnist', fits: true },
      keepsCurrent: false,
    });
    expect(datasetFor(summary({ datasets: [] }), 'mnist').fit).toBeNull();
  });

  it('opens on a user dataset listed after the model was read, when the model reads its kind', () => {
    const mine: DatasetInfo = { ...dataset('user-pets', [32, 32, 3]), origin: 'user' };
    const texts: DatasetInfo = { ...mine, name: 'user-texts', kind: 'text' };
    const datasets = [dataset('mnist', [28, 28, 1]), mine, texts];
    expect(datasetFor(summary({ datasets: [] }), 'user-pets', datasets)).toEqual({
      fit: { dataset: 'user-pets', fits: true },
      keepsCurrent: true,
    });
    expect(datasetFor(summary({ datasets: [] }), 'user-texts', datasets).fit).toBeNull();
    const bert = summary({
      datasets: [],
      kind: 'text',
      tokenizer: { file: 'vocab.txt', vocabSize: 9 },
    });
    expect(datasetFor(bert, 'user-texts', datasets).fit?.dataset).toBe('user-texts');
    expect(datasetFor({ ...bert, tokenizer: undefined }, 'user-texts', datasets).fit).toBeNull();
  });
});

describe('neededDataset', () => {
  it("says a RoBERTa's texts cannot be re-encoded here, rather than asking for a tokenizer", () => {
    const text = { kind: 'text' as const, numClasses: 2, inputShape: [10] };
    expect(
      neededDataset(summary({ ...text, tokenizer: { file: 'b/vocab.txt', vocabSize: 9 } })),
    ).toBe("a text dataset with 2 classes, tokenised with the model's own tokenizer (b/vocab.txt)");
    const limit = "RoBERTa's byte-level BPE tokenizer is not one Strata runs";
    expect(neededDataset(summary({ ...text, tokenizerLimit: limit }))).toBe(
      `a text dataset with 2 classes re-encoded with the model's own tokenizer, which cannot be done here: ${limit}`,
    );
  });
});

describe('importModelFiles', () => {
  beforeEach(() => {
    resetStrata();
    resetImports();
    useStrata
      .getState()
      .applyCatalog(
        [model('mnist-aligned', 'mnist'), model('fashion-aligned', 'fashion')],
        [dataset('mnist', [28, 28, 1]), dataset('fashion', [28, 28, 1])],
      );
    useStrata.getState().selectModel('fashion-aligned');
  });

  it('stages, shows the summary, then uses it on the dataset that fits with a notice', async () => {
    const calls = fakeEngine();
    await importModelFiles(
      [file('vit-mnist/config.json'), file('vit-mnist/model.safetensors')],
      engine,
    );
    expect(useImports.getState().pendingModel?.name).toBe('vit-mnist');
    expect(useImports.getState().progress).toBeNull();
    await adoptImportedModel(engine);
    const s = useStrata.getState();
    expect(calls).toEqual([
      'import vit-mnist vit-mnist/config.json vit-mnist/model.safetensors -',
      'load import-1',
      'use import-1 mnist',
    ]);
    expect(s.config.modelId).toBe('user-vit-mnist');
    expect(s.config.dataset).toBe('mnist');
    expect(s.results.models.map((m) => m.id)).toContain('user-vit-mnist');
    expect(s.ui.alerts.at(-1)?.text).toMatch(
      /^Opened your model user-vit-mnist on MNIST\. It needs an image dataset of 28×28×1 \(H×W×C\) images with 10 classes, which the previous dataset is not\.$/,
    );
    expect(useImports.getState().pendingModel).toBeNull();
  });

  it('reports an engine error in the alert region and changes nothing', async () => {
    fakeEngine({
      reviewModel: () =>
        Promise.reject(new Error('w/model.safetensors: tensor x has shape [2], expected [3]')),
    });
    const before = useStrata.getState().config;
    await importModelFiles([file('w/config.json'), file('w/model.safetensors')], engine);
    expect(useStrata.getState().ui.alerts.at(-1)).toMatchObject({
      kind: 'error',
      text: 'Model not imported: w/model.safetensors: tensor x has shape [2], expected [3]',
    });
    expect(useStrata.getState().config).toBe(before);
    expect(useImports.getState()).toMatchObject({ pendingModel: null, progress: null });
  });

  it('reads the model again when a device loss interrupted its import', async () => {
    let tries = 0;
    const calls = fakeEngine({
      async reviewModel(req) {
        calls.push(`import ${req.name}`);
        if (++tries === 1)
          throw Object.assign(new Error('the GPU device was lost (destroyed); ask again'), {
            name: 'DeviceLostError',
          });
        return summary({ name: req.name });
      },
    });
    await importModelFiles([file('v/config.json'), file('v/model.safetensors')], engine);
    expect(calls).toEqual(['import v', 'import v', 'load import-1']);
    expect(useImports.getState().pendingModel?.name).toBe('v');
    expect(useStrata.getState().ui.alerts).toEqual([]);
  });

  it('before the engine of the page has started, says so in the alert region', async () => {
    await importModelFiles([file('v/config.json'), file('v/model.safetensors')]);
    expect(useStrata.getState().ui.alerts.map((a) => a.text)).toEqual([
      'Model not imported: the engine worker has not started yet',
    ]);
    expect(useImports.getState()).toMatchObject({ pendingModel: null, progress: null });
  });

  it('a missing file is reported without calling the engine', async () => {
    const calls = fakeEngine();
    await importModelFiles([file('model.safetensors')], engine);
    expect(calls).toEqual([]);
    expect(useStrata.getState().ui.alerts.at(-1)?.text).toMatch(
      /^Model not imported: model\.safetensors: no config\.json/,
    );
  });

  it('Cancel discards the staged model; a second import replaces the first', async () => {
    const calls = fakeEngine();
    await importModelFiles([file('a/config.json'), file('a/model.safetensors')], engine);
    await importModelFiles([file('b/config.json'), file('b/model.safetensors')], engine);
    await cancelImportedModel(engine);
    expect(calls.filter((c) => c.startsWith('discard'))).toEqual([
      'discard import-1',
      'discard import-1',
    ]);
    expect(useImports.getState().pendingModel).toBeNull();
    expect(useStrata.getState().config.modelId).toBe('fashion-aligned');
  });

  it('with no dataset that fits, "Use" says what is needed and lists nothing', async () => {
    const calls = fakeEngine({
      reviewModel: async () =>
        summary({ datasets: [{ dataset: 'mnist', fits: false, reason: 'r' }] }),
    });
    await importModelFiles([file('v/config.json'), file('v/model.safetensors')], engine);
    await adoptImportedModel(engine);
    expect(calls).toEqual(['load import-1']);
    expect(useStrata.getState().ui.alerts.at(-1)?.text).toBe(
      'Model vit-mnist needs an image dataset of 28×28×1 (H×W×C) images with 10 classes; none of the datasets fits. Drop such a dataset first.',
    );
    expect(useStrata.getState().config.modelId).toBe('fashion-aligned');
  });
});

describe('weights in the background', () => {
  beforeEach(() => {
    resetStrata();
    resetImports();
    useWeightsLoad.setState({ load: null });
    useStrata
      .getState()
      .applyCatalog([model('mnist-aligned', 'mnist')], [dataset('mnist', [28, 28, 1])]);
  });

  /** An engine whose weights load is held open until `finish` (or aborted by cancelRead). */
  function heldLoad() {
    let report!: (e: { phase: string; done: number; total: number }) => void;
    let finish!: () => void;
    let fail!: (e: Error) => void;
    const calls = fakeEngine({
      loadImportedWeights: (token, onProgress, task) =>
        new Promise<void>((resolve, reject) => {
          calls.push(`load ${token} ${task}`);
          report = (e) => onProgress?.(e);
          finish = resolve;
          fail = reject;
        }),
      async cancelRead(readId) {
        calls.push(`cancel ${readId}`);
        fail(Object.assign(new Error('cancelled'), { name: 'ReadCancelledError' }));
      },
    });
    return {
      calls,
      report: (e: Parameters<typeof report>[0]) => report(e),
      finish: () => finish(),
    };
  }

  it('shows the review at once, counts the bytes, and "Use" waits for the weights', async () => {
    const held = heldLoad();
    await importModelFiles([file('vit/config.json'), file('vit/model.safetensors')], engine);
    // The review is on show while the weights are still loading.
    expect(useImports.getState().pendingModel?.name).toBe('vit');
    expect(useWeightsLoad.getState().load).toMatchObject({ state: 'loading', event: null });
    const event = {
      phase: 'reading the weights',
      done: 100e6,
      total: 343e6,
      tensors: { done: 50, total: 200 },
    };
    held.report(event);
    expect(useWeightsLoad.getState().load?.event).toEqual(event);
    expect(weightsProgressText(event)).toBe('Weights: 100 MB of 343 MB (50 of 200 tensors)');
    const using = adoptImportedModel(engine);
    expect(useWeightsLoad.getState().load?.queued).toBe(true);
    held.finish();
    await using;
    expect(held.calls.at(-1)).toBe('use import-1 mnist');
    expect(useStrata.getState().config.modelId).toBe('user-vit-mnist');
    expect(useWeightsLoad.getState().load).toBeNull();
  });

  it('Cancel stops the load in the engine and drops the review, with no error', async () => {
    const held = heldLoad();
    await importModelFiles([file('vit/config.json'), file('vit/model.safetensors')], engine);
    const { readId } = useWeightsLoad.getState().load!;
    cancelWeightsLoad(engine);
    await Promise.resolve();
    await new Promise((r) => setTimeout(r, 0));
    expect(held.calls).toEqual([
      'import vit vit/config.json vit/model.safetensors -',
      `load import-1 ${readId}`,
      `cancel ${readId}`,
      'discard import-1',
    ]);
    expect(useImports.getState().pendingModel).toBeNull();
    expect(useWeightsLoad.getState().load).toBeNull();
    expect(useStrata.getState().ui.alerts.map((a) => [a.kind, a.text])).toEqual([
      ['notice', 'Model import cancelled; its weights were freed.'],
    ]);
  });
});
