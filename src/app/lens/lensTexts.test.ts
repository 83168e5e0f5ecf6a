import { beforeEach, describe, expect, it } from 'vitest';
import { resetStrata, useStrata } from '../store';
import { initialLensState, useLens } from './lensState';
import { openLensTexts } from './lensTexts';

const blob = (text: string) => new Blob([text]);
const alerts = () => useStrata.getState().ui.alerts.map((a) => `${a.kind}: ${a.text}`);

describe("the lens's texts", () => {
  beforeEach(() => {
    resetStrata();
    useLens.setState(initialLensState());
  });

  it('reads a .txt a text per line, blank lines left out', async () => {
    await openLensTexts(blob('one text\r\n\nanother one\n'), 'my.txt');
    expect(useLens.getState().texts).toEqual({
      source: 'my.txt',
      texts: ['one text', 'another one'],
    });
  });

  it('reads .jsonl "text" fields and a .csv text column', async () => {
    await openLensTexts(blob('{"text": "a"}\n{"text": "b c"}\n'), 't.jsonl');
    expect(useLens.getState().texts?.texts).toEqual(['a', 'b c']);
    await openLensTexts(blob('id,text\n1,"x, y"\n2,z\n'), 't.csv');
    expect(useLens.getState().texts).toEqual({ source: 't.csv', texts: ['x, y', 'z'] });
  });

  it('a broken file is named with its line, and the texts before stay', async () => {
    await openLensTexts(blob('kept\n'), 'kept.txt');
    await openLensTexts(blob('{"text": "a"}\n{"txt": 1}\n'), 'bad.jsonl');
    await openLensTexts(blob('x'), 'notes.md');
    expect(useLens.getState().texts).toEqual({ source: 'kept.txt', texts: ['kept'] });
    expect(alerts()).toEqual([
      'error: Texts not opened: line 2 of bad.jsonl: "text" is missing or not a string',
      expect.stringMatching(/^error: Texts not opened: notes\.md: expected a \.txt, \.jsonl/),
    ]);
  });
});
