import { useStrata } from '../store';

/** Narrower cells than other tables: five columns fit the side column. */
const CELL = { padding: '0.15rem 0.3rem' } as const;

/** The pipe check: softmax(A·B) computed in the worker on the chosen backend, shown as a table. */
export function EngineCheck() {
  const demo = useStrata((s) => s.results.demo);
  const status = useStrata((s) => s.run.status);
  return (
    <section aria-labelledby="engine-check-title">
      <h2 id="engine-check-title">Engine check</h2>
      <p className="panel-help">
        softmax(A·B) for A ∈ ℝ<sup>8×16</sup>, B ∈ ℝ<sup>16×4</sup> with a<sub>ij</sub> = sin(s +
        0.7i + 1.3j), b<sub>ij</sub> = cos(s − 0.4i + 0.9j), computed in the engine worker.
      </p>
      {!demo && status !== 'failed' && <p aria-live="polite">Computing…</p>}
      {demo && (
        // The side column is narrow: 4 decimals fit it, and the table scrolls rather than being cut.
        <div
          role="region"
          aria-label="Engine check values"
          tabIndex={0}
          style={{ overflowX: 'auto', maxWidth: '100%' }}
        >
          <table className="matrix" aria-label="Engine check result" data-seed={demo.seed}>
            <caption>
              Each row sums to 1. Seed s = {demo.seed}; {demo.elapsedMs.toFixed(1)} ms including
              transfer.
            </caption>
            <thead>
              <tr>
                <th scope="col" style={CELL}>
                  row
                </th>
                {Array.from({ length: demo.n }, (_, j) => (
                  <th scope="col" key={j} style={CELL}>
                    {j}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {Array.from({ length: demo.m }, (_, i) => (
                <tr key={i}>
                  <th scope="row" style={CELL}>
                    {i}
                  </th>
                  {demo.softmax.slice(i * demo.n, (i + 1) * demo.n).map((v, j) => (
                    <td key={j} style={CELL}>
                      {v.toFixed(4)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
