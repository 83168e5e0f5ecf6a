import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { importDropped, type DropTargets } from '../import/importDropped';
import type { DroppedFile } from '../import/types';
import { resetStrata, useStrata } from '../store';
import { initialLensState, useLens } from './lensState';

const DECODERS = 'src/engine/decoder/fixtures';
const dropped = (path: string, from: string): DroppedFile => ({
  path,
  file: new File([readFileSync(from)], path.slice(path.lastIndexOf('/') + 1)),
});
const text = (path: string, body: string): DroppedFile => ({ path, file: new File([body], path) });

/** Targets whose model importer records that it was called. */
function targets(calls: string[]): DropTargets {
  const refuse = (name: string) => async () => {
    calls.push(name);
    throw new Error(`${name} was called`);
  };
  return {
    engine: {} as DropTargets['engine'],
    models: { reviewModel: refuse('reviewModel') } as unknown as DropTargets['models'],
    sessions: () => null,
  };
}

describe('drops with a language model', () => {
  beforeEach(() => {
    resetStrata();
    useStrata.setState((s) => ({ run: { ...s.run, status: 'ready' } }));
    useLens.setState(initialLensState());
  });

  it('a decoder folder goes to the language model, not to the classifier import', async () => {
    const calls: string[] = [];
    const folder = ['config.json', 'model.safetensors', 'tokenizer.json'].map((n) =>
      dropped(`llama-text/${n}`, `${DECODERS}/llama-text/${n}`),
    );
    await importDropped(folder, targets(calls));
    expect(calls).toEqual([]);
    expect(useLens.getState().model?.summary.architecture).toBe('LlamaForCausalLM');
    expect(useStrata.getState().ui.alerts).toEqual([]);
  });

  it('a lone .txt is the lens texts once a language model is open', async () => {
    const calls: string[] = [];
    await importDropped([text('before.txt', 'a b\n')], targets(calls));
    expect(useLens.getState().texts).toBeNull();
    expect(useStrata.getState().ui.alerts[0].text).toMatch(/^before\.txt: not a dataset/);
    const folder = ['config.json', 'model.safetensors'].map((n) =>
      dropped(`gpt2-a/${n}`, `${DECODERS}/gpt2-a/${n}`),
    );
    await importDropped(folder, targets(calls));
    await importDropped([text('mine.txt', 'one\ntwo\n')], targets(calls));
    expect(useLens.getState().texts).toEqual({ source: 'mine.txt', texts: ['one', 'two'] });
    expect(calls).toEqual([]);
  });
});
