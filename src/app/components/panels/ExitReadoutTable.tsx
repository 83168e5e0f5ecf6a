import { useShallow } from 'zustand/react/shallow';
import { exitMethodName } from '../../chartData/exits';
import { resultModelName } from '../../state/modelNames';
import { useStrata } from '../../store';

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

/** Accuracy, mean exit layer and speed-up at the slider's threshold, per method. */
export function ExitReadoutTable() {
  const { exits, readout } = useStrata(
    useShallow((s) => ({ exits: s.results.exits, readout: s.results.readout })),
  );
  const models = useStrata((s) => s.results.models);
  const rows = (['shared', 'multi'] as const).flatMap((m) => {
    const result = exits[m];
    const r = readout[m];
    return result && r
      ? [{ name: `${exitMethodName(result)} (${resultModelName(models, result)})`, point: r.point }]
      : [];
  });
  if (rows.length === 0) return null;
  return (
    <table className="readout" data-testid="exit-readout" aria-live="polite">
      <caption>
        At {readout.shared && exits.shared?.tradeoff.rule === 'patience' ? 'k' : 'τ'} ={' '}
        {readout.threshold}
      </caption>
      <thead>
        <tr>
          <th scope="col">method</th>
          <th scope="col">accuracy</th>
          <th scope="col">mean exit layer</th>
          <th scope="col">speed-up</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ name, point }) => (
          <tr key={name}>
            <th scope="row">{name}</th>
            <td>{pct(point.accuracy)}</td>
            <td>{point.meanExitLayer.toFixed(2)}</td>
            <td>{point.speedup.toFixed(2)}×</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
