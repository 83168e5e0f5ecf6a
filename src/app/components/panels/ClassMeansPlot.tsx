import { useRef } from 'react';
import { seriesPalette } from '../../../charts/colors';
import type { AnalysisResult } from '../../../engine/apiTypes';
import { analysisCaption } from '../../chartData/caption';
import { staleCaption } from '../../state/currency';
import { ExportMenu } from '../../share/ExportMenu';
import { useClassMeansExport } from '../../share/useClassMeansExport';
import { useStrata } from '../../store';

const SIZE = 104;
const PAD = 10;
/** The legend wraps under the squares, a name per entry, whole. */
const LEGEND_STYLE = {
  display: 'flex',
  flexWrap: 'wrap',
  gap: '0.2rem 0.8rem',
  listStyle: 'none',
  margin: '0.3rem 0 0',
  padding: 0,
  fontSize: '0.78rem',
} as const;

/** A class's colour: the series palette, the same in every square and in the legend. */
const classColor = (c: number) => seriesPalette[c % seriesPalette.length];

interface Entry {
  name: string;
  result: AnalysisResult | null;
  /** Why the result is out of date (state/currency.ts): dimmed, said in the caption, not exported. */
  stale?: string | null;
}

/** Each layer's class means on the two principal axes all layers share, for one checkpoint. */
function SmallMultiples({
  name,
  result,
  stale = null,
  classNames,
}: Entry & { result: AnalysisResult; classNames: string[] }) {
  const { points, explained } = result.classMeans;
  const all = points.flat();
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  const span = Math.max(x1 - x0, y1 - y0, 1e-9);
  const sx = (v: number) => PAD + ((v - (x0 + x1) / 2) / span + 0.5) * (SIZE - 2 * PAD);
  const sy = (v: number) => SIZE - PAD - ((v - (y0 + y1) / 2) / span + 0.5) * (SIZE - 2 * PAD);
  const className = (c: number) => classNames[c] ?? String(c);
  const pct = (v: number) => `${(v * 100).toFixed(0)}%`;
  const models = useStrata((s) => s.results.models);
  const caption = staleCaption(
    `${analysisCaption(`${name}: class means per layer on shared principal axes`, result, models)} · axes explain ${pct(explained[0])} and ${pct(explained[1])} of the variance`,
    stale,
  );
  const figure = useRef<HTMLElement>(null);
  const exportSource = useClassMeansExport(figure, { name, result, classNames, caption, stale });
  return (
    <figure
      className={stale ? 'class-means chart-stale' : 'class-means'}
      data-stale={stale ? 'true' : undefined}
      ref={figure}
    >
      <div className="small-multiples">
        {points.map((layer, l) => (
          <svg
            key={l}
            width={SIZE}
            height={SIZE + 14}
            role="img"
            aria-label={`${name}, ${result.layers[l]}: class means ${layer
              .map((p, c) => `${classNames[c] ?? c} at (${p[0].toFixed(2)}, ${p[1].toFixed(2)})`)
              .join(', ')}`}
          >
            <rect x={0.5} y={0.5} width={SIZE - 1} height={SIZE - 1} fill="#fff" stroke="#d9dee7" />
            {layer.map((p, c) => (
              // A dot per class, its full name in the tooltip and the legend below (names cut
              // to fit a 104 px square overlapped and could not be told apart).
              <circle
                key={c}
                className="class-mean"
                cx={sx(p[0])}
                cy={sy(p[1])}
                r={4}
                fill={classColor(c)}
                stroke="#fff"
              >
                <title>{`${className(c)} (${p[0].toFixed(2)}, ${p[1].toFixed(2)})`}</title>
              </circle>
            ))}
            <text x={SIZE / 2} y={SIZE + 11} fontSize={10} textAnchor="middle" fill="#5b6474">
              {result.layers[l]}
            </text>
          </svg>
        ))}
      </div>
      <ul className="class-means-legend" aria-label={`${name}: classes`} style={LEGEND_STYLE}>
        {(points[0] ?? []).map((_, c) => (
          <li key={c} style={{ display: 'flex', alignItems: 'center', gap: '0.25rem' }}>
            <svg width={10} height={10} aria-hidden="true">
              <circle cx={5} cy={5} r={4} fill={classColor(c)} />
            </svg>
            {className(c)}
          </li>
        ))}
      </ul>
      <figcaption>{caption}</figcaption>
      <ExportMenu source={exportSource} caption={caption} stale={stale} />
    </figure>
  );
}

/** The paper's first figure, right half: classes separating with depth, one row per checkpoint. */
export function ClassMeansPlot({ entries }: { entries: Entry[] }) {
  const summary = useStrata((s) => s.results.summary);
  const shown = entries.filter(
    (e): e is Entry & { result: AnalysisResult } =>
      !!e.result && e.result.classMeans.points.length > 0,
  );
  // Class names only from the summary of the result's own dataset (else the class numbers).
  const namesOf = (r: AnalysisResult) =>
    summary && summary.name === r.request.dataset ? summary.classNames : [];
  if (shown.length === 0) return null;
  return (
    <div className="class-means-list">
      {shown.map((e) => (
        <SmallMultiples key={e.name} {...e} classNames={namesOf(e.result)} />
      ))}
    </div>
  );
}
