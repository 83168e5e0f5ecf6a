import { describe, expect, it } from 'vitest';
import { ACCEPTED, classifyDrop } from './classify';

const drop = (...paths: string[]) => classifyDrop(paths.map((path) => ({ path })));

describe('classifyDrop', () => {
  it('recognises each dataset format and names the dataset', () => {
    expect(drop('mnist.csv')).toEqual({ kind: 'dataset', format: 'csv', title: 'mnist.csv' });
    expect(drop('reviews.TSV')).toMatchObject({ format: 'tsv' });
    expect(drop('reviews.jsonl')).toMatchObject({ format: 'jsonl' });
    expect(drop('train-00000.parquet')).toMatchObject({ format: 'parquet' });
    expect(drop('digits.zip')).toMatchObject({ format: 'zip' });
    expect(drop('train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz')).toMatchObject({
      format: 'idx',
    });
    expect(drop('t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte')).toMatchObject({
      format: 'idx',
    });
    expect(drop('digits/0/a.png', 'digits/1/b.JPG', 'digits/.DS_Store')).toEqual({
      kind: 'dataset',
      format: 'images',
      title: 'digits',
    });
  });

  it('passes image folders with stray files on to the engine, which names them', () => {
    expect(drop('d/0/a.png', 'd/README.md')).toMatchObject({ kind: 'dataset', format: 'images' });
  });

  it('recognises models, activations and sessions', () => {
    expect(drop('bert/config.json', 'bert/model.safetensors', 'bert/vocab.txt')).toEqual({
      kind: 'model',
      title: 'bert',
    });
    expect(drop('acts.npz')).toMatchObject({ kind: 'activations' });
    expect(drop('layers.safetensors')).toMatchObject({ kind: 'activations' });
    expect(drop('a.npy', 'b.npy')).toMatchObject({ kind: 'activations' });
    expect(drop('run.strata.zip')).toEqual({ kind: 'session', title: 'run.strata.zip' });
  });

  it('names what it cannot read and says what Strata accepts', () => {
    const r = drop('notes.txt');
    expect(r).toEqual({
      kind: 'unknown',
      message: `notes.txt: not a dataset, model or activations file Strata can read. ${ACCEPTED}`,
    });
    expect(drop('m/config.json')).toMatchObject({
      message: expect.stringContaining('m/config.json: a config.json without weights'),
    });
    expect(drop('run.strata.zip', 'x.csv')).toMatchObject({
      message: expect.stringContaining('drop it without other files'),
    });
    expect(drop('.DS_Store')).toMatchObject({
      message: expect.stringContaining('only hidden or system files'),
    });
    expect(drop()).toMatchObject({ message: expect.stringContaining('Nothing was dropped') });
    expect(drop('a.csv', 'b.csv')).toEqual({
      kind: 'unknown',
      message:
        'a.csv, b.csv: 2 CSV files; drop one at a time (Strata splits a dataset into train and test itself).',
    });
  });

  it('sends sharded checkpoints and PyTorch pickles beside a config to the model importer', () => {
    expect(
      drop(
        'big/config.json',
        'big/model.safetensors.index.json',
        'big/model-00001-of-00002.safetensors',
        'big/model-00002-of-00002.safetensors',
      ),
    ).toEqual({ kind: 'model', title: 'big' });
    expect(drop('m/config.json', 'm/pytorch_model.bin')).toEqual({ kind: 'model', title: 'm' });
    expect(drop('weights.pth')).toMatchObject({
      kind: 'unknown',
      message: expect.stringMatching(/^weights\.pth: a PyTorch pickle.*safe_serialization=True/),
    });
  });
});
