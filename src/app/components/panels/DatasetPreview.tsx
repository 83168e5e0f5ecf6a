import { useEffect, useRef } from 'react';
import type { DatasetSummary } from '../../../engine/apiTypes';
import { sampleGridPixels } from '../../chartData/sampleGrid';
import { viewStaleness } from '../../state/currency';
import { useStrata } from '../../store';

const COLS = 8;
const SCALE = 2;

export function ImageGrid({ summary }: { summary: DatasetSummary }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const images = summary.preview.images;
  const labels = summary.preview.labels;
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx || !images) return;
    const { width, height, rgba } = sampleGridPixels(
      images,
      summary.inputShape,
      labels.length,
      COLS,
      SCALE,
    );
    canvas.width = width;
    canvas.height = height;
    ctx.putImageData(new ImageData(rgba, width, height), 0, 0);
  }, [images, labels, summary.inputShape]);
  const names = labels.map((l) => summary.classNames[l] ?? String(l));
  return (
    <figure className="sample-grid">
      <canvas
        ref={ref}
        role="img"
        aria-label={`The first ${labels.length} test images, labelled ${names.join(', ')}`}
      />
      <figcaption>
        First {labels.length} test images of {summary.title}; labels: {names.join(' ')}
      </figcaption>
    </figure>
  );
}

export function TextSamples({ summary }: { summary: DatasetSummary }) {
  const texts = summary.preview.texts ?? [];
  return (
    <figure className="text-samples">
      <ol>
        {texts.slice(0, 6).map((t, i) => (
          <li key={i}>
            <strong>{summary.classNames[summary.preview.labels[i]]}</strong>: {t.slice(0, 160)}
            {t.length > 160 ? '…' : ''}
          </li>
        ))}
      </ol>
      <figcaption>The first test texts of {summary.title} with their labels</figcaption>
    </figure>
  );
}

export function ClassCounts({ summary }: { summary: DatasetSummary }) {
  return (
    <table className="class-counts">
      <caption>
        Class counts · {summary.trainCount.toLocaleString('en-US')} train /{' '}
        {summary.testCount.toLocaleString('en-US')} test
      </caption>
      <thead>
        <tr>
          <th scope="col">class</th>
          <th scope="col">train</th>
          <th scope="col">test</th>
        </tr>
      </thead>
      <tbody>
        {summary.classNames.map((name, c) => (
          <tr key={c}>
            <th scope="row">{name}</th>
            <td>{summary.trainClassCounts[c]?.toLocaleString('en-US')}</td>
            <td>{summary.testClassCounts[c]?.toLocaleString('en-US')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The dataset under study: a few samples, the class balance, the split, where it comes from. */
export function DatasetPreview() {
  const summary = useStrata((s) => s.results.summary);
  const stale = useStrata((s) => viewStaleness(s, 'summary'));
  if (!summary) return null;
  return (
    <div
      className={stale ? 'dataset-preview stale-block' : 'dataset-preview'}
      data-stale={stale ? 'true' : undefined}
    >
      {stale && (
        <p className="stale-note" role="status">
          Preview {stale}
        </p>
      )}
      {summary.kind === 'image' && summary.preview.images ? (
        <ImageGrid summary={summary} />
      ) : (
        <TextSamples summary={summary} />
      )}
      <ClassCounts summary={summary} />
      <p className="panel-help">
        Source: {summary.source}. Licence: {summary.licence}.
      </p>
    </div>
  );
}
