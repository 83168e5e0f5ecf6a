import { describe, expect, it } from 'vitest';
import { UserDatasets } from './userDatasets';

const textRows = (n: number, classes = 2) => ({
  rows: {
    kind: 'text' as const,
    source: 't.jsonl',
    n,
    texts: Array.from({ length: n }, (_, i) => `word${i} film`),
    labels: Array.from({ length: n }, (_, i) => String(i % classes)),
  },
  notes: [],
});

describe('UserDatasets', () => {
  it('stages a preview at 20 % test, resplits, registers under a user- name, frees the stage', () => {
    const reg = new UserDatasets();
    const staged = reg.stage(textRows(10), 'My Reviews.jsonl', 't.jsonl');
    expect(staged.summary).toMatchObject({
      trainCount: 8,
      testCount: 2,
      origin: 'user',
      classNames: ['0', '1'],
    });
    expect(staged.summary.trainClassCounts.reduce((a, b) => a + b)).toBe(8);
    expect(staged.summary.preview.texts).toHaveLength(2);
    expect(reg.preview(staged.id, 0.5).summary.testCount).toBe(5);
    const info = reg.commit(staged.id, 0.3);
    expect(info).toMatchObject({
      name: 'user-my-reviews',
      testCount: 3,
      trainCount: 7,
      origin: 'user',
    });
    expect(reg.infos().map((i) => i.name)).toEqual(['user-my-reviews']);
    expect(() => reg.preview(staged.id, 0.2)).toThrow('no such staged dataset');
    const again = reg.commit(reg.stage(textRows(6), 'My Reviews.jsonl', 't.jsonl').id, 0.2);
    expect(again.name).toBe('user-my-reviews-2');
  });

  it('refuses one class or too few rows, keeping nothing', () => {
    const reg = new UserDatasets();
    expect(() => reg.stage(textRows(10, 1), 'one', 'o.jsonl')).toThrow(
      't.jsonl: every row has the label "0"; a classifier needs at least 2 classes',
    );
    expect(() => reg.stage(textRows(3), 'few', 'f.jsonl')).toThrow('expected at least 4');
    expect(reg.infos()).toEqual([]);
  });

  it('keeps texts as written, for each text model to tokenize its own way', () => {
    const reg = new UserDatasets();
    const rows = textRows(8);
    const staged = reg.stage(rows, 'r', 'r.jsonl');
    expect(staged.notes.join(' ')).toMatch(/Texts are kept as written/);
    const info = reg.commit(staged.id, 0.25);
    const { dataset } = reg.dataset(info.name)!;
    expect(dataset.tokenizer).toBeUndefined();
    expect(dataset.train.x.length).toBe(0);
    const kept = [...dataset.train.texts!, ...dataset.test.texts!].sort();
    expect(kept).toEqual([...rows.rows.texts].sort());
  });

  it('keeps images at their own shape, for each image model to resize', () => {
    const reg = new UserDatasets();
    const rows = {
      kind: 'image' as const,
      source: 'x.csv',
      n: 4,
      inputShape: [1, 1, 1] as [number, number, number],
      x: new Uint8Array(4),
      labels: ['a', 'b', 'a', 'b'],
    };
    const staged = reg.stage({ rows, notes: [] }, 'x', 'x.csv');
    expect(staged.summary.inputShape).toEqual([1, 1, 1]);
    expect(staged.notes[0]).toMatch(/Images are kept at 1×1×1.*each image model resizes them/);
    const info = reg.commit(staged.id, 0.25);
    expect(info.inputShape).toEqual([1, 1, 1]);
  });
});
