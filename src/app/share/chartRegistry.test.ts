// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { exportSources, registerExportSource, reportSources } from './chartRegistry';
import type { ExportSource } from './exportSource';

function source(el: Element, caption: string, csv = 'x,y\n1,2\n'): ExportSource {
  return {
    kind: 'test',
    element: () => el,
    caption: () => caption,
    toSvg: () => '<svg xmlns="http://www.w3.org/2000/svg"/>',
    data: () => ({ caption }),
    csv: () => csv,
  };
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  cleanups.splice(0).forEach((f) => f());
  document.body.replaceChildren();
});

describe('chart registry', () => {
  it('lists sources in document order, leaves out detached ones, and forgets unregistered ones', () => {
    const [a, b, c] = ['a', 'b', 'c'].map(() => document.createElement('figure'));
    document.body.append(a, b);
    const sb = source(b, 'second');
    const sa = source(a, 'first');
    cleanups.push(registerExportSource(sb));
    const removeA = registerExportSource(sa);
    cleanups.push(registerExportSource(source(c, 'detached')));
    expect(exportSources().map((s) => s.caption())).toEqual(['first', 'second']);
    expect(window.strataCharts?.()).toEqual([
      { kind: 'test', caption: 'first', data: { caption: 'first' } },
      { kind: 'test', caption: 'second', data: { caption: 'second' } },
    ]);
    removeA();
    expect(exportSources()).toEqual([sb]);
  });

  it('the report leaves out charts that draw nothing yet (a CSV header and no row)', () => {
    const [a, b] = ['a', 'b'].map(() => document.createElement('figure'));
    document.body.append(a, b);
    cleanups.push(registerExportSource(source(a, 'empty', 'series,step,value\n')));
    cleanups.push(registerExportSource(source(b, 'drawn')));
    expect(exportSources().map((s) => s.caption())).toEqual(['empty', 'drawn']);
    expect(reportSources().map((s) => s.caption())).toEqual(['drawn']);
  });
});
