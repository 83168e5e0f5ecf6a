import { describe, expect, it } from 'vitest';
import {
  chartDataToJson,
  heatmapToCsv,
  histogramToCsv,
  lineChartToCsv,
  streamingToCsv,
  toCsv,
  tradeoffToCsv,
  withCsvComments,
} from './exportData';

describe('CSV serialisers (one row per cell or point)', () => {
  it('writes a heatmap as row,column,value in row-major order', () => {
    const csv = heatmapToCsv({
      rowLabels: ['emb', 'block 1'],
      colLabels: ['emb', 'block 1'],
      values: [
        [1, 0.123456789],
        [null, -0.5],
      ],
    });
    expect(csv).toBe(
      'row,column,value\nemb,emb,1\nemb,block 1,0.123456789\nblock 1,emb,\nblock 1,block 1,-0.5',
    );
  });

  it('writes per-layer lines as series,layer,value', () => {
    const csv = lineChartToCsv({
      xLabels: ['l0', 'l1'],
      series: [
        { name: 'standard', values: [0.5, 0.75] },
        { name: 'aligned', values: [null, 1], marker: { index: 1, label: 'minimal depth' } },
      ],
    });
    expect(csv).toBe(
      'series,layer,value\nstandard,l0,0.5\nstandard,l1,0.75\naligned,l0,\naligned,l1,1',
    );
  });

  it('writes training curves and trade-offs in long form, the trade-off with its speed-up', () => {
    expect(
      streamingToCsv({
        series: [
          {
            name: 'loss',
            points: [
              { x: 0, y: 2.5 },
              { x: 10, y: 1e-3 },
            ],
          },
        ],
      }),
    ).toBe('series,x,y\nloss,0,2.5\nloss,10,0.001');
    expect(
      tradeoffToCsv({
        layers: 12,
        series: [
          {
            name: 'multi-head',
            points: [
              { threshold: 0.9, meanExitLayer: 4, accuracy: 0.9 },
              { meanExitLayer: 12, accuracy: 1 },
            ],
          },
        ],
      }),
    ).toBe(
      'series,threshold,mean_exit_layer,speedup,accuracy\nmulti-head,0.9,4,3,0.9\nmulti-head,,12,1,1',
    );
    expect(
      histogramToCsv({
        labels: ['1', '2'],
        series: [
          { name: 'exit', counts: [3, 0] },
          { name: 'saturation', counts: [1, 2] },
        ],
      }),
    ).toBe('series,bin,count\nexit,1,3\nexit,2,0\nsaturation,1,1\nsaturation,2,2');
  });

  it('quotes commas, quotes and newlines, and defuses spreadsheet formulas in text', () => {
    expect(
      toCsv([
        ['a,b', 'say "hi"', 'two\nlines', '=HYPERLINK("x")', '@SUM', 'plain', -1, Number.NaN],
      ]),
    ).toBe('"a,b","say ""hi""","two\nlines","\'=HYPERLINK(""x"")",\'@SUM,plain,-1,');
  });

  it('puts comment lines first and folds line breaks so a caption cannot start a data row', () => {
    expect(withCsvComments(['Cosine · mnist', 'evil\r\n=1+1,2'], 'a,b\n1,2')).toBe(
      '# Cosine · mnist\n# evil =1+1,2\na,b\n1,2',
    );
  });

  it('writes JSON with non-finite numbers as null', () => {
    const json = chartDataToJson({ values: [[1, Number.NaN, null, Number.POSITIVE_INFINITY]] });
    expect(JSON.parse(json)).toEqual({ values: [[1, null, null, null]] });
  });
});
