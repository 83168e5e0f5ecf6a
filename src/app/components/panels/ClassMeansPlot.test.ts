// @vitest-environment jsdom
import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AnalysisResult } from '../../../engine/apiTypes';
import { resetStrata, useStrata, type StrataState } from '../../store';
import { ClassMeansPlot } from './ClassMeansPlot';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const NAMES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt'];

const result = {
  request: { dataset: 'fashion-mnist', pooling: 'cls', modelId: 'm', samples: 7 },
  revision: 0,
  n: 7,
  layers: ['embeddings', 'layer_1'],
  classMeans: {
    // Every class at nearly one place in the first layer: labels there would pile up.
    points: [
      NAMES.map((_, c) => [c * 1e-3, 0] as [number, number]),
      NAMES.map((_, c) => [c, c % 2] as [number, number]),
    ],
    explained: [0.6, 0.3],
  },
} as unknown as AnalysisResult;

let root: Root;
let container: HTMLDivElement;
beforeEach(() => {
  resetStrata();
  useStrata.setState({
    results: {
      ...useStrata.getState().results,
      summary: { name: 'fashion-mnist', classNames: NAMES },
    },
  } as unknown as Partial<StrataState>);
  container = document.createElement('div');
  document.body.appendChild(container);
  root = createRoot(container);
});
afterEach(() => {
  act(() => root.unmount());
  document.body.replaceChildren();
});

describe('ClassMeansPlot', () => {
  it('names every class in full: a legend under the squares and a tooltip on each dot', () => {
    act(() => root.render(createElement(ClassMeansPlot, { entries: [{ name: 'A: m', result }] })));
    const legend = container.querySelector('ul[aria-label="A: m: classes"]')!;
    expect(Array.from(legend.querySelectorAll('li'), (li) => li.textContent)).toEqual(NAMES);
    const squares = Array.from(container.querySelectorAll('svg[role="img"]'));
    expect(squares).toHaveLength(2);
    for (const svg of squares) {
      const dots = Array.from(svg.querySelectorAll('circle'));
      expect(dots.map((d) => d.querySelector('title')!.textContent!.split(' (')[0])).toEqual(NAMES);
      // No class text inside a square: only the layer's name under it.
      expect(Array.from(svg.querySelectorAll('text'), (t) => t.textContent)).toHaveLength(1);
    }
    // A class's dot has the colour of its legend entry.
    const swatches = Array.from(legend.querySelectorAll('circle'), (c) => c.getAttribute('fill'));
    const dots = Array.from(squares[1].querySelectorAll('circle'), (c) => c.getAttribute('fill'));
    expect(dots).toEqual(swatches);
  });
});
