// @vitest-environment jsdom
import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ActivationFileReport } from '../../engine/apiTypes';
import { resetStrata, useStrata } from '../store';
import { ActivationsView } from './ActivationsView';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const report: ActivationFileReport = {
  fileName: 'acts-demo.npz',
  fileBytes: 1000,
  layers: ['layer_0', 'layer_1'],
  widths: [4, 4],
  n: 12,
  metrics: {
    cosine: [
      [1, 0.5],
      [0.5, 1],
    ],
    cka: [
      [1, 0.25],
      [0.25, 1],
    ],
  },
  notes: {},
  agreement: {},
  elapsedMs: 5,
};

/** jsdom's Blob has no text(). */
const textOf = (blob: Blob) =>
  new Promise<string>((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.readAsText(blob);
  });

let root: Root;
let container: HTMLDivElement;
let downloads: { name: string; blob: Blob }[];

beforeEach(() => {
  resetStrata();
  // The page's model stays selected behind the activations view.
  useStrata.getState().setConfig({ modelId: 'mnist-aligned', dataset: 'mnist' });
  container = document.createElement('div');
  document.body.appendChild(container);
  root = createRoot(container);
  downloads = [];
  const blobs = new Map<string, Blob>();
  URL.createObjectURL = vi.fn((blob: Blob) => {
    const url = `blob:test/${blobs.size}`;
    blobs.set(url, blob);
    return url;
  });
  URL.revokeObjectURL = vi.fn();
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
    this: HTMLAnchorElement,
  ) {
    downloads.push({ name: this.download, blob: blobs.get(this.href)! });
  });
});
afterEach(() => {
  act(() => root.unmount());
  document.body.replaceChildren();
  vi.restoreAllMocks();
});

describe('exports from the activations view', () => {
  it('are named after the activation file, and their captions and settings name it, not the model', async () => {
    const view = {
      report,
      cka: 'cka' as const,
      previousModelId: 'mnist-aligned',
      previousDataset: 'mnist',
    };
    act(() => root.render(createElement(ActivationsView, { view, backTo: 'mnist-aligned' })));
    const menus = container.querySelectorAll('details.export-menu');
    expect(menus).toHaveLength(2);
    const click = (menu: Element, label: string) =>
      Array.from(menu.querySelectorAll('button'))
        .find((b) => b.textContent === label)!
        .click();
    await act(async () => click(menus[0], 'SVG'));
    await act(async () => click(menus[0], 'CSV'));
    await act(async () => click(menus[1], 'JSON'));
    await vi.waitFor(() => expect(downloads).toHaveLength(3));
    const day = new Date().toISOString().slice(0, 10);
    expect(downloads.map((d) => d.name)).toEqual([
      `strata-cosine-similarity-acts-demo.npz-${day}.svg`,
      `strata-cosine-similarity-acts-demo.npz-${day}.csv`,
      `strata-linear-cka-acts-demo.npz-${day}.json`,
    ]);
    const [svg, csv, json] = await Promise.all(downloads.map((d) => textOf(d.blob)));
    for (const text of [svg, csv, json]) expect(text).not.toContain('mnist-aligned');
    expect(csv.split('\n')[0]).toBe('# Cosine similarity · acts-demo.npz · N = 12 · 2 layers');
    expect(JSON.parse(json).caption).toMatchObject({
      text: 'Linear CKA · acts-demo.npz · N = 12 · 2 layers',
      settings: { activationFile: 'acts-demo.npz', ckaMetric: 'cka' },
    });
  });
});
