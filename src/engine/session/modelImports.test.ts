import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { tf } from '../tf';
import { initNodeBackend } from '../nodeBackend';
import type { DatasetInfo } from '../apiTypes';
import { checkpointFiles } from '../import/fixtures/cases';
import type { ModelImportRequest } from '../import/userImportTypes';
import { WORD_PATTERN, type WordTokenizerSpec } from '../data/tokenizer';
import type { Dataset } from '../data/types';
import { runAnalysis } from './analysis';
import { ModelImports, datasetFit, freshModelId } from './modelImports';
import { ModelRegistry } from './models';

const blob = (bytes: Uint8Array) => new Blob([bytes as Uint8Array<ArrayBuffer>]);

function request(name: string, folder = name): ModelImportRequest {
  const files = checkpointFiles(name);
  return {
    name: folder,
    config: { path: `${folder}/config.json`, file: blob(files.config) },
    weights: { path: `${folder}/model.safetensors`, file: blob(files.weights) },
  };
}

const dataset = (name: string, inputShape: number[], classes: number, kind = 'image') =>
  ({
    name,
    title: name,
    kind,
    classNames: Array.from({ length: classes }, (_, i) => `c${i}`),
    inputShape,
    trainCount: 10,
    testCount: 10,
    source: '',
    licence: '',
  }) as DatasetInfo;

const MNIST = dataset('mnist', [28, 28, 1], 10);
const RGB8 = dataset('rgb8', [8, 8, 3], 3);
const IMDB = dataset('imdb', [128], 2, 'text');
const noLoad = () => Promise.reject(new Error('no dataset loads in this test'));

function fresh() {
  const registry = new ModelRegistry(() => Promise.reject(new Error('no assets in this test')));
  return { registry, imports: new ModelImports(registry) };
}

async function messageOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a rejection');
}

describe('ModelImports', () => {
  beforeAll(async () => {
    await initNodeBackend('cpu');
  });

  it('summarises a ViT checkpoint and says which datasets fit', async () => {
    const { imports } = fresh();
    const s = await imports.stage(request('vit-a'), [MNIST, RGB8, IMDB]);
    expect(s).toMatchObject({
      name: 'vit-a',
      architecture: 'ViTForImageClassification',
      kind: 'image',
      numLayers: 2,
      hiddenSize: 16,
      numHeads: 2,
      numClasses: 3,
      classNames: ['cat', 'dog', 'bird'],
      inputShape: [8, 8, 3],
      unusedTensors: [],
    });
    // patch 3·4·4·16+16, cls 16, pos 5·16, 2 blocks of (2 LN 64 + qkv 3·272 + out 272 + mlp 544+528), final LN 32, head 51
    const perBlock = 4 * 16 + 4 * (16 * 16 + 16) + (16 * 32 + 32) + (32 * 16 + 16);
    expect(s.parameters).toBe(16 * 48 + 16 + 16 + 5 * 16 + 2 * perBlock + 32 + 3 * 16 + 3);
    expect(s.datasets).toEqual([
      {
        dataset: 'mnist',
        fits: false,
        reason: 'its images are 28×28×1 (H×W×C), the model reads 8×8×3',
      },
      { dataset: 'rgb8', fits: true },
      { dataset: 'imdb', fits: false, reason: 'it holds texts, the model reads images' },
    ]);
    imports.discard(s.token);
  });

  it('registers under fresh user- ids, frees a cancelled import, leaks nothing', async () => {
    const { registry, imports } = fresh();
    const before = tf.memory().numTensors;
    const a = await imports.stage(request('vit-a', 'My ViT!'), [RGB8]);
    const held = tf.memory().numTensors - before;
    expect(held).toBeGreaterThan(0);
    const info = await imports.commit(a.token, RGB8, noLoad);
    expect(info).toMatchObject({
      id: 'user-my-vit',
      dataset: 'rgb8',
      builtin: false,
      numLayers: 2,
      numClasses: 3,
      kind: 'image',
    });
    expect((await registry.get('user-my-vit')).config.hiddenSize).toBe(16);
    const b = await imports.stage(request('vit-a', 'My ViT!'), [RGB8]);
    expect((await imports.commit(b.token, RGB8, noLoad)).id).toBe('user-my-vit-2');
    const c = await imports.stage(request('vit-a'), [RGB8]);
    imports.discard(c.token);
    imports.discard(c.token);
    expect(tf.memory().numTensors - before).toBe(2 * held);
    await expect(imports.commit(c.token, RGB8, noLoad)).rejects.toThrow(
      /no staged model import "import-3"/,
    );
  });

  it('refuses a dataset that does not fit, and keeps the import staged', async () => {
    const { imports } = fresh();
    const s = await imports.stage(request('vit-a'), [MNIST]);
    await expect(imports.commit(s.token, MNIST, noLoad)).rejects.toThrow(
      'model "vit-a" cannot read dataset "mnist": its images are 28×28×1 (H×W×C), the model reads 8×8×3',
    );
    expect((await imports.commit(s.token, RGB8, noLoad)).dataset).toBe('rgb8');
  });

  it('names the dropped files, the key or tensor, and allocates nothing on error', async () => {
    const { imports } = fresh();
    const before = tf.memory().numTensors;
    const good = checkpointFiles('vit-b');
    const cases: [ModelImportRequest, RegExp][] = [
      [
        {
          ...request('vit-b'),
          config: { path: 'vit-b/config.json', file: blob(new TextEncoder().encode('{"hidden')) },
        },
        /^vit-b\/config\.json: not valid UTF-8 JSON/,
      ],
      [
        {
          ...request('vit-b'),
          weights: {
            path: 'drop/pytorch_model.safetensors',
            file: blob(good.weights.subarray(0, good.weights.length - 40)),
          },
        },
        /^drop\/pytorch_model\.safetensors: .*data_offsets .* lie outside the data section/,
      ],
      [
        { ...request('vit-b'), weights: { path: 'w.safetensors', file: blob(new Uint8Array(0)) } },
        /^w\.safetensors: 0 bytes, too short for a safetensors file/,
      ],
      [
        {
          ...request('vit-b'),
          weights: { path: 'w.safetensors', file: blob(checkpointFiles('vit-a').weights) },
        },
        /^w\.safetensors: tensor vit\.embeddings\.patch_embeddings\.projection\.weight has shape \[16, 3, 4, 4\], expected \[12, 1, 3, 3\]/,
      ],
    ];
    for (const [req, pattern] of cases) {
      expect(await messageOf(imports.stage(req, [MNIST]))).toMatch(pattern);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a BERT with its vocab.txt re-encodes a text dataset into word pieces and analyses it', async () => {
    const { registry, imports } = fresh();
    // bert-a: vocab_size 40, pad 0, 16 positions, 3 classes.
    const pieces = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', 'the', 'movie', 'was', 'great', '!', 'un'];
    const vocab = [
      ...pieces,
      '##believ',
      '##able',
      ...Array.from({ length: 28 }, (_, i) => `w${i}`),
    ];
    const vocabFile = {
      path: 'bert-a/vocab.txt',
      file: blob(new TextEncoder().encode(vocab.join('\n') + '\n')),
    };
    const TEXTS = dataset('texts', [6], 3, 'text');
    const s = await imports.stage({ ...request('bert-a'), tokenizer: vocabFile }, [TEXTS, MNIST]);
    expect(s).toMatchObject({
      architecture: 'BertForSequenceClassification',
      kind: 'text',
      inputShape: [16],
      tokenizer: { file: 'bert-a/vocab.txt', vocabSize: 40 },
    });
    expect(s.datasets[0]).toEqual({
      dataset: 'texts',
      fits: true,
      note: 'its texts are re-encoded into word pieces with bert-a/vocab.txt (at most 16 tokens)',
    });
    // Strata's word-level rows: [CLS] the movie was unbelievable ! [PAD] / [CLS] great [UNK] …
    const words: WordTokenizerSpec = {
      format: 'strata-word-level',
      version: 1,
      lowercase: true,
      stripHtmlBreaks: true,
      pattern: WORD_PATTERN,
      seqLen: 6,
      vocab: ['[PAD]', '[UNK]', '[CLS]', 'the', 'movie', 'was', 'unbelievable', '!', 'great'],
    };
    const source: Dataset = {
      name: 'texts',
      title: 'Texts',
      kind: 'text',
      classNames: ['a', 'b', 'c'],
      inputShape: [6],
      tokenizer: words,
      train: {
        n: 2,
        x: Uint16Array.from([2, 3, 4, 5, 6, 7, 2, 8, 1, 0, 0, 0]),
        y: Uint8Array.from([0, 2]),
      },
      test: {
        n: 2,
        x: Uint16Array.from([2, 8, 8, 8, 8, 8, 2, 3, 0, 0, 0, 0]),
        y: Uint8Array.from([1, 0]),
      },
    };
    const info = await imports.commit(s.token, TEXTS, async () => source);
    expect(info).toMatchObject({
      id: 'user-bert-a',
      dataset: 'texts-for-user-bert-a',
      kind: 'text',
    });
    const derived = imports.derivedDataset('texts-for-user-bert-a')!;
    expect(derived.info).toMatchObject({
      title: 'texts, word pieces for user-bert-a',
      inputShape: [16],
    });
    const row = (x: ArrayLike<number>, r: number) => Array.from(x).slice(r * 16, r * 16 + 16);
    // the movie was un ##believ ##able ! → 4 5 6 9 10 11 8, framed by [CLS]=2 … [SEP]=3, [PAD]=0
    expect(row(derived.dataset.train.x, 0)).toEqual([
      2, 4, 5, 6, 9, 10, 11, 8, 3, 0, 0, 0, 0, 0, 0, 0,
    ]);
    expect(row(derived.dataset.train.x, 1)).toEqual([
      2, 7, 1, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ]);
    expect(imports.derivedInfos().map((d) => d.name)).toEqual(['texts-for-user-bert-a']);
    const request1 = {
      modelId: info.id,
      dataset: derived.info.name,
      samples: 2,
      seed: 0,
      pooling: 'cls' as const,
      metrics: ['cka' as const],
      finalNormInHead: true,
      batchSize: 256,
      rbfT: 0.5,
    };
    const result = await runAnalysis(await registry.get(info.id), derived.dataset, request1);
    expect(result.layers).toHaveLength(3);
    expect(result.accuracy).toHaveLength(3);
  });

  it('text model errors: no tokenizer, a tokenizer of another model, a broken tokenizer.json', async () => {
    const { imports } = fresh();
    const TEXTS = dataset('texts', [6], 3, 'text');
    const s = await imports.stage(request('bert-a'), [TEXTS]);
    expect(s.datasets[0]).toEqual({
      dataset: 'texts',
      fits: false,
      reason:
        "its texts must be encoded with the model's own tokenizer, and no tokenizer.json or vocab.txt was dropped with the model",
    });
    imports.discard(s.token);
    const before = tf.memory().numTensors;
    const tokenizer = (path: string, text: string) => ({
      ...request('bert-a'),
      tokenizer: { path, file: blob(new TextEncoder().encode(text)) },
    });
    const big = [
      '[PAD]',
      '[UNK]',
      '[CLS]',
      '[SEP]',
      ...Array.from({ length: 60 }, (_, i) => `w${i}`),
    ];
    expect(await messageOf(imports.stage(tokenizer('v/vocab.txt', big.join('\n')), [TEXTS]))).toBe(
      "v/vocab.txt: the tokenizer has ids up to 63, but the model's vocab_size is 40; expected the tokenizer saved with this model",
    );
    expect(await messageOf(imports.stage(tokenizer('v/vocab.txt', 'a\nb\n'), [TEXTS]))).toBe(
      "v/vocab.txt: no [UNK] token in the vocabulary, expected BERT's special tokens",
    );
    expect(await messageOf(imports.stage(tokenizer('t/tokenizer.json', '{'), [TEXTS]))).toMatch(
      /^t\/tokenizer\.json: not valid JSON/,
    );
    expect(
      await messageOf(
        imports.stage(tokenizer('t/tokenizer.json', '{"model": {"type": "BPE", "vocab": {}}}'), [
          TEXTS,
        ]),
      ),
    ).toBe('t/tokenizer.json: "model.type" is "BPE", expected "WordPiece" (BERT\'s tokenizer)');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stages RoBERTa, XLM-R and DistilBERT; says why RoBERTa texts cannot be re-encoded', async () => {
    const { imports } = fresh();
    const TEXTS = dataset('texts', [6], 2, 'text');
    const bpe = new TextEncoder().encode('{"model": {"type": "BPE", "vocab": {}, "merges": []}}');
    const s = await imports.stage(
      { ...request('roberta-a'), tokenizer: { path: 'roberta-a/tokenizer.json', file: blob(bpe) } },
      [TEXTS],
    );
    expect(s).toMatchObject({ architecture: 'RobertaForSequenceClassification', kind: 'text' });
    expect(s.tokenizer).toBeUndefined();
    expect(s.tokenizerLimit).toMatch(/^RoBERTa's byte-level BPE tokenizer is not one Strata runs/);
    expect(s.notes).toContain(
      "roberta-a/tokenizer.json is not used: RoBERTa's byte-level BPE tokenizer is not one Strata runs (it runs WordPiece, the tokenizer of BERT and DistilBERT); no text dataset is re-encoded for it, and its hidden states can be read from token ids (strata hidden-states)",
    );
    expect(s.datasets[0]).toMatchObject({
      fits: false,
      reason: expect.stringMatching(/byte-level BPE/),
    });
    await expect(imports.commit(s.token, TEXTS, noLoad)).rejects.toThrow(
      /cannot read dataset "texts": .*RoBERTa's byte-level BPE tokenizer is not one Strata runs/,
    );
    imports.discard(s.token);
    const x = await imports.stage(request('xlmr-a'), [TEXTS]);
    expect(x.architecture).toBe('XLMRobertaForSequenceClassification');
    expect(x.datasets[0].reason).toMatch(/XLM-R's SentencePiece tokenizer is not one Strata runs/);
    imports.discard(x.token);
    // DistilBERT runs on WordPiece: its vocab.txt is read and a text dataset fits.
    const vocab = [
      '[PAD]',
      '[UNK]',
      '[CLS]',
      '[SEP]',
      ...Array.from({ length: 36 }, (_, i) => `w${i}`),
    ];
    const TEXTS3 = dataset('texts3', [6], 3, 'text');
    const d = await imports.stage(
      {
        ...request('distilbert-a'),
        tokenizer: {
          path: 'distilbert-a/vocab.txt',
          file: blob(new TextEncoder().encode(vocab.join('\n'))),
        },
      },
      [TEXTS3],
    );
    expect(d).toMatchObject({
      architecture: 'DistilBertForSequenceClassification',
      tokenizer: { file: 'distilbert-a/vocab.txt', vocabSize: 40 },
    });
    expect(d.datasets[0].fits).toBe(true);
    imports.discard(d.token);
  });

  it('a 28×28 grey ViT fits MNIST (the e2e fixture)', async () => {
    const dir = new URL('../../../e2e/fixtures/models/vit-mnist/', import.meta.url);
    const { imports } = fresh();
    const s = await imports.stage(
      {
        name: 'vit-mnist',
        config: {
          path: 'vit-mnist/config.json',
          file: blob(readFileSync(new URL('config.json', dir))),
        },
        weights: {
          path: 'vit-mnist/model.safetensors',
          file: blob(readFileSync(new URL('model.safetensors', dir))),
        },
      },
      [MNIST],
    );
    expect(s.datasets).toEqual([{ dataset: 'mnist', fits: true }]);
    imports.discard(s.token);
  });
});

describe('model ids and fits', () => {
  it('freshModelId makes a safe, unique id', () => {
    expect(freshModelId('My ViT (v2)', new Set())).toBe('user-my-vit-v2');
    expect(freshModelId('***', new Set(['user-model']))).toBe('user-model-2');
  });

  it('datasetFit compares classes after shape', () => {
    const config = {
      architecture: 'vit',
      imageSize: 8,
      numChannels: 3,
      numClasses: 4,
    } as Parameters<typeof datasetFit>[0];
    expect(datasetFit(config, RGB8)).toEqual({
      dataset: 'rgb8',
      fits: false,
      reason: "it has 3 classes, the model's head has 4",
    });
  });

  it('loads nothing onto a backend that was switched away while the weights were read', async () => {
    const { imports } = fresh();
    const before = tf.memory().numTensors;
    let switched = false;
    const staging = imports.stage(request('vit-a'), [RGB8], (e) => {
      if (switched || e.phase !== 'reading the weights') return;
      imports.releaseStaged(); // the device goes during the read
      switched = true;
    });
    await expect(staging).rejects.toMatchObject({
      name: 'DeviceLostError',
      message: expect.stringMatching(
        /^engine \(modelImports\.ts\): the backend changed while vit-a/,
      ),
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
