import type { NamedResult } from '../../chartData/similarity';

const pct = (v: number | null | undefined) => (v == null ? '—' : `${(v * 100).toFixed(1)}%`);

/** The per-layer accuracies as numbers, one column per checkpoint (for reading and copying). */
export function AccuracyTable({ entries }: { entries: NamedResult[] }) {
  if (entries.length === 0) return null;
  const layers = entries[0].result.layers;
  return (
    <details className="numbers">
      <summary>Per-layer accuracy as numbers</summary>
      <table className="readout" data-testid="accuracy-table">
        <thead>
          <tr>
            <th scope="col">layer</th>
            {entries.map((e) => (
              <th scope="col" key={e.name}>
                {e.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {layers.map((layer, l) => (
            <tr key={layer}>
              <th scope="row">{layer}</th>
              {entries.map((e) => (
                <td key={e.name} data-value={e.result.accuracy[l]}>
                  {pct(e.result.accuracy[l])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
