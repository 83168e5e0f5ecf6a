// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { createHeatmap } from './heatmap';
import { mountContainer } from './testing';

afterEach(() => document.body.replaceChildren());

const grid = (rows: number, cols: number) => ({
  rowLabels: Array.from({ length: rows }, (_, i) => `A ${i}`),
  colLabels: Array.from({ length: cols }, (_, j) => `B ${j}`),
  values: Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => i * j)),
});

describe('createHeatmap markDiagonal', () => {
  it('outlines the cells (i, i) of a square grid, on top of the cells', () => {
    const chart = createHeatmap(mountContainer(), {
      scale: 'sequential',
      caption: 'A × B',
      markDiagonal: true,
    });
    chart.update(grid(3, 3));
    const marks = [...document.querySelectorAll('.strata-diagonal rect')];
    expect(marks).toHaveLength(3);
    const cell = Number(document.querySelector('.strata-cells rect')!.getAttribute('width'));
    expect(marks.map((m) => [m.getAttribute('x'), m.getAttribute('y')])).toEqual(
      [0, 1, 2].map((i) => [String(i * cell), String(i * cell)]),
    );
  });

  it('marks nothing when depths differ, or when not asked', () => {
    const chart = createHeatmap(mountContainer(), {
      scale: 'sequential',
      caption: 'A × B',
      markDiagonal: true,
    });
    chart.update(grid(4, 3));
    expect(document.querySelectorAll('.strata-diagonal rect')).toHaveLength(0);
    const plain = createHeatmap(mountContainer(), { scale: 'sequential', caption: 'A × A' });
    plain.update(grid(3, 3));
    expect(document.querySelectorAll('.strata-diagonal rect')).toHaveLength(0);
  });
});
