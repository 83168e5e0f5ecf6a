import { describe, expect, it } from 'vitest';
import { heatmapColor, seriesColor, seriesPalette, textColorOn } from './colors';

describe('colour table', () => {
  it('maps each scale on its fixed domain: ends, midpoint and clamping', () => {
    const cosine = heatmapColor('diverging');
    expect([cosine(-1), cosine(0), cosine(1), cosine(3)]).toEqual([
      '#053061',
      '#f2efee',
      '#67001f',
      '#67001f',
    ]);
    const cka = heatmapColor('sequential');
    expect([cka(0), cka(1), cka(-0.1)]).toEqual(['#440154', '#fde725', '#440154']);
    // BrBG: brown at -d, teal at +d; d = 0.2 maps 0.2 and 1 to the same end.
    const diff = heatmapColor('difference', 0.2);
    expect([diff(-0.2), diff(0.2), diff(1)]).toEqual(['#543005', '#003c30', '#003c30']);
  });

  it('takes a caller colour only when it parses, normalised to hex', () => {
    expect(seriesColor(0, 'red')).toBe('#ff0000');
    expect(seriesColor(1, 'url(javascript:alert(1))')).toBe(seriesPalette[1]);
    expect(seriesColor(11)).toBe(seriesPalette[1]);
  });

  it('picks light text on dark cells and dark text on light ones', () => {
    expect(textColorOn('#440154')).toBe('#ffffff');
    expect(textColorOn('#fde725')).toBe('#1d2330');
  });
});
