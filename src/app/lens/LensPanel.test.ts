// @vitest-environment jsdom
import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resetStrata } from '../store';
import { LensPanel } from './LensPanel';
import { initialLensState, useLens, type LanguageModel } from './lensState';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const model = (tokenizer: boolean): LanguageModel => ({
  name: 'tiny',
  files: {
    config: { path: 'tiny/config.json', file: new Blob(['{}']) },
    weights: { path: 'tiny/model.safetensors', file: new Blob([]) },
  },
  summary: {
    architecture: 'GPT2LMHeadModel',
    numLayers: 2,
    hiddenSize: 8,
    vocabSize: 10,
    numHeads: 2,
    numKvHeads: 2,
    tiedHead: true,
    ...(tokenizer
      ? { tokenizer: { file: 'tiny/tokenizer.json', kind: 'WordLevel', vocabSize: 10 } }
      : {}),
  },
  maxPositions: 16,
});

let root: Root;
let container: HTMLDivElement;

beforeEach(() => {
  resetStrata();
  useLens.setState(initialLensState());
  container = document.createElement('div');
  document.body.appendChild(container);
  root = createRoot(container);
});
afterEach(() => {
  act(() => root.unmount());
  document.body.replaceChildren();
});

const render = () => act(() => root.render(createElement(LensPanel)));
const button = (name: string) =>
  [...container.querySelectorAll('button')].find((b) => b.textContent === name);
const labelled = (text: string) => {
  const label = [...container.querySelectorAll('label')].find((l) => l.textContent === text);
  return label ? document.getElementById(label.htmlFor) : null;
};

describe('the Logit lens panel', () => {
  it('is hidden until a language model is opened', () => {
    render();
    expect(container.textContent).toBe('');
  });

  it('has labelled controls, the sample texts by default, Run enabled', () => {
    useLens.setState({ model: model(true) });
    render();
    expect(labelled('Texts for the lens')?.getAttribute('type')).toBe('file');
    expect((labelled('Max tokens per text') as HTMLInputElement).value).toBe('64');
    expect((labelled('Texts (samples)') as HTMLInputElement).value).toBe('32');
    expect(labelled('Second chart')?.tagName).toBe('SELECT');
    expect(container.textContent).toContain('None opened: the 36 built-in sample texts');
    expect(button('Run the logit lens')?.disabled).toBe(false);
  });

  it('without a tokenizer, Run is off and the panel says why', () => {
    useLens.setState({ model: model(false) });
    render();
    expect(button('Run the logit lens')?.disabled).toBe(true);
    expect(container.querySelector('[role="note"]')?.textContent).toMatch(
      /tiny has no tokenizer\.json/,
    );
  });

  it('shows a progress bar while it runs, and Cancel stops the run', () => {
    const controller = new AbortController();
    useLens.setState({
      model: model(true),
      running: { label: 'Logit lens of tiny: batches', done: 1, total: 4, controller },
    });
    render();
    const bar = container.querySelector('progress')!;
    expect(bar.getAttribute('aria-label')).toBe('Logit lens of tiny: batches');
    expect([bar.value, bar.max]).toEqual([1, 4]);
    expect(button('Run the logit lens')?.disabled).toBe(true);
    act(() => button('Cancel')!.click());
    expect(controller.signal.aborted).toBe(true);
  });
});
