import { useEffect, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { createHistogram } from '../../../charts/histogram';
import { createTradeoffChart, type TradeoffChart } from '../../../charts/tradeoffChart';
import { accuracyDomain, describeAccuracyDomain } from '../../../charts/tradeoffData';
import { exitCaption } from '../../chartData/caption';
import { currentExitPoint, exitHistogram, tradeoffChart } from '../../chartData/exits';
import { ChartView } from '../../charts/ChartView';
import { headMismatch } from '../../import/userDatasetFit';
import { viewStaleness } from '../../state/currency';
import { useStrata, type StrataState } from '../../store';
import { TaskProgress } from '../TaskProgress';
import { ExitControls } from './ExitControls';
import { ExitReadoutTable } from './ExitReadoutTable';
import { RevisionNotice } from './RevisionNotice';

const pickExits = (s: StrataState) => [s.results.exits.shared, s.results.exits.multi];

/** Early exit: the shared classifier as a multi-exit model, against the multi-head baseline. */
export function ExitPanel() {
  const { exits, readout } = useStrata(
    useShallow((s) => ({ exits: s.results.exits, readout: s.results.readout })),
  );
  const mismatch = useStrata((s) =>
    headMismatch(s.results.models, s.results.datasets, s.config.modelId, s.config.dataset),
  );
  const models = useStrata((s) => s.results.models);
  const staleSweeps = useStrata((s) => viewStaleness(s, 'exits'));
  const staleReadout = useStrata((s) => viewStaleness(s, 'readout'));
  const [chart, setChart] = useState<TradeoffChart | null>(null);
  const results = [exits.shared, exits.multi];
  const tradeoff = useMemo(() => tradeoffChart([exits.shared, exits.multi]), [exits]);
  const histogram = useMemo(
    () =>
      exitHistogram([
        { result: exits.shared, readout: readout.shared },
        { result: exits.multi, readout: readout.multi },
      ]),
    [exits, readout],
  );
  const current = currentExitPoint(exits.shared, readout.shared);
  const currentKey = JSON.stringify(current);
  useEffect(() => {
    // The point stays where it is on the picture kept while the readout is out of date.
    if (!staleReadout) chart?.setCurrent(JSON.parse(currentKey));
  }, [chart, currentKey, tradeoff, staleReadout]);
  return (
    <section className="panel" aria-labelledby="exit-title">
      <h2 id="exit-title">Early exit</h2>
      <p className="panel-help">
        Each sample walks the layers and leaves at the first one where the rule holds. One shared
        classifier (aligned training) against a head per layer (multi-head baseline).
      </p>
      {mismatch ? (
        // The last sweep belongs to another dataset: a note instead of its charts.
        <p className="panel-help" role="note">
          Early exit needs the head’s classes to match the dataset’s: {mismatch}.
        </p>
      ) : (
        <>
          <ExitControls />
          <TaskProgress streams={[{ channel: 'exits', label: 'Sweeping thresholds' }]} />
          <RevisionNotice pick={pickExits} />
          <div
            className={staleReadout ? 'stale-block' : undefined}
            data-stale={staleReadout ? 'true' : undefined}
          >
            <ExitReadoutTable />
          </div>
          <ChartView
            create={createTradeoffChart}
            options={{
              // The accuracy axis is fitted to the points: the caption says where it starts.
              caption: `${exitCaption('Accuracy against mean exit layer', results, models)}${tradeoff ? ` · ${describeAccuracyDomain(accuracyDomain(tradeoff))}` : ''}`,
            }}
            data={tradeoff}
            onChart={setChart}
            stale={staleSweeps}
          />
          <ChartView
            create={createHistogram}
            options={{
              mode: 'fraction',
              xTitle: 'exit layer',
              yTitle: 'share of samples',
              caption: exitCaption(
                `Exit layers at threshold ${readout.threshold ?? '…'}`,
                results,
                models,
              ),
            }}
            data={histogram}
            stale={staleReadout}
          />
        </>
      )}
    </section>
  );
}
