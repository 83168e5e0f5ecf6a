// Export of the class-means small multiples (ClassMeansPlot): the page draws them as one small
// SVG per layer with React; the export lays them out as one SVG grid, and the data as one row per
// (layer, class) point.
import { select } from 'd3';
import { seriesPalette } from '../../charts/colors';
import { serializeSvg } from '../../charts/export';
import { drawSeriesLegend, type LegendItem } from '../../charts/seriesLegend';
import { toCsv } from '../../charts/exportData';
import { chartFont } from '../../charts/text';
import type { AnalysisResult } from '../../engine/apiTypes';
import type { ExportSource } from './exportSource';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The class means of one checkpoint as plain data. */
export interface ClassMeansData {
  model: string;
  layers: string[];
  classNames: string[];
  /** points[l][c] = [x, y]: layer l, class c, on the two shared principal axes. */
  points: [number, number][][];
  /** Share of the variance each axis explains. */
  explained: [number, number];
}

export function classMeansData(
  model: string,
  result: AnalysisResult,
  classNames: readonly string[],
): ClassMeansData {
  const { points, explained } = result.classMeans;
  const classes = points[0]?.length ?? 0;
  return {
    model,
    layers: result.layers,
    classNames: Array.from({ length: classes }, (_, c) => classNames[c] ?? String(c)),
    points,
    explained,
  };
}

/** One row per point: `model,layer,class,pc1,pc2`. */
export function classMeansToCsv(data: ClassMeansData): string {
  return toCsv([
    ['model', 'layer', 'class', 'pc1', 'pc2'],
    ...data.points.flatMap((layer, l) =>
      layer.map((p, c) => [data.model, data.layers[l], data.classNames[c], p[0], p[1]]),
    ),
  ]);
}

/**
 * Small SVGs of one size laid out as one SVG document, `columns` per row: each one's content is
 * copied into a translated group (no nested <svg>, so a document holds one root per figure).
 */
export function composeSvgGrid(
  svgs: readonly SVGSVGElement[],
  options: {
    caption: string;
    description: string;
    columns?: number;
    gap?: number;
    /** Drawn under the grid, wrapping within its width (the classes' colours and names). */
    legend?: LegendItem[];
  },
): string {
  if (svgs.length === 0) throw new Error('composeSvgGrid: expected at least one SVG, got none');
  const doc = svgs[0].ownerDocument;
  const w = Number(svgs[0].getAttribute('width')) || 0;
  const h = Number(svgs[0].getAttribute('height')) || 0;
  const gap = options.gap ?? 6;
  const columns = Math.max(1, Math.min(options.columns ?? 7, svgs.length));
  const rows = Math.ceil(svgs.length / columns);
  const root = doc.createElementNS(SVG_NS, 'svg');
  const width = columns * w + (columns - 1) * gap;
  const gridHeight = rows * h + (rows - 1) * gap;
  root.setAttribute('width', String(width));
  root.setAttribute('font-family', chartFont.family);
  svgs.forEach((svg, i) => {
    const g = doc.createElementNS(SVG_NS, 'g');
    g.setAttribute(
      'transform',
      `translate(${(i % columns) * (w + gap)},${Math.floor(i / columns) * (h + gap)})`,
    );
    const label = svg.getAttribute('aria-label');
    if (label) {
      const title = doc.createElementNS(SVG_NS, 'title');
      title.textContent = label;
      g.appendChild(title);
    }
    svg.childNodes.forEach((child) => g.appendChild(child.cloneNode(true)));
    root.appendChild(g);
  });
  let legendHeight = 0;
  if (options.legend && options.legend.length > 0) {
    const g = doc.createElementNS(SVG_NS, 'g');
    g.setAttribute('class', 'strata-legend');
    g.setAttribute('transform', `translate(0,${gridHeight + gap})`);
    root.appendChild(g);
    legendHeight = gap + drawSeriesLegend(select(g), options.legend, width);
  }
  root.setAttribute('height', String(gridHeight + legendHeight));
  return serializeSvg(root, { caption: options.caption, description: options.description });
}

/** An export source for a class-means figure: its small SVGs, its data, its caption. */
export function classMeansSource(
  figure: () => HTMLElement | null,
  latest: () => { data: ClassMeansData; caption: string },
): ExportSource {
  return {
    kind: 'class-means',
    element: figure,
    caption: () => latest().caption,
    toSvg() {
      const svgs = Array.from(figure()?.querySelectorAll<SVGSVGElement>('svg[role="img"]') ?? []);
      const { data, caption } = latest();
      return composeSvgGrid(svgs, {
        caption,
        description: `${data.model}: class means of ${data.classNames.length} classes at ${data.layers.length} layers`,
        legend: data.classNames.map((name, c) => ({
          name,
          color: seriesPalette[c % seriesPalette.length],
          swatch: 'square',
        })),
      });
    },
    data: () => latest().data,
    csv: () => classMeansToCsv(latest().data),
  };
}
