import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { createTradeoffChart, type TradeoffChartOptions } from '../../charts/tradeoffChart';
import type { TradeoffMeasure } from '../../charts/tradeoffData';
import type { ExitRule } from '../../engine/exits/rules';
import {
  LM_EXIT_MEASURES,
  LM_EXIT_RULES,
  lmExitCaption,
  lmExitStaleness,
  lmExitTradeoff,
} from '../chartData/lmExits';
import { ChartView } from '../charts/ChartView';
import { SelectField } from '../components/controls/Fields';
import { useLens } from './lensState';
import { useLmExit } from './lmExitState';
import { lmRunSubject } from './lmRunSubject';
import { LmGeneration } from './LmGeneration';
import { LmTaskProgress } from './LmTaskProgress';
import { abortLmTask, lmExitInputs, runLmExits } from './runLmExits';

/**
 * Early exit of the page's language model: each position leaves at the first layer whose logit
 * lens satisfies the rule; next-token accuracy or perplexity against mean exit layer for the model
 * and the one it is compared with, on the lens's texts. Below it, a generation token by token.
 */
export function LmExitPanel() {
  const model = useLens((s) => s.model);
  const wanted = useLens(useShallow(lmExitInputs));
  const { rule, measure, running, result } = useLmExit(
    useShallow((s) => ({
      rule: s.rule,
      measure: s.measure,
      running: s.running,
      result: s.result,
    })),
  );
  const data = useMemo(() => lmExitTradeoff(result, rule), [result, rule]);
  const stale = lmExitStaleness(result, wanted);
  if (!model && !result) return null;
  const options: TradeoffChartOptions = {
    caption: lmExitCaption(result, rule, measure),
    measure,
    thresholdLabel: rule === 'patience' ? 'k' : 'τ',
  };
  const subject = result ? lmRunSubject(result) : undefined;
  return (
    <section className="panel lens-panel" aria-labelledby="lm-exit-title">
      <h2 id="lm-exit-title">Language model early exit</h2>
      <p className="panel-help">
        Each position leaves the model at the first layer whose logit lens satisfies the rule, and
        its next token is read there. Swept over thresholds on the logit lens’s texts: next-token
        accuracy and perplexity against the mean exit layer (speed-up on top).
      </p>
      <div className="lens-controls">
        <SelectField<ExitRule>
          label="Exit rule"
          value={rule}
          options={LM_EXIT_RULES}
          onChange={(r) => useLmExit.setState({ rule: r })}
        />
        <SelectField<TradeoffMeasure>
          label="Measure"
          value={measure}
          options={LM_EXIT_MEASURES}
          onChange={(m) => useLmExit.setState({ measure: m })}
        />
        <button
          type="button"
          disabled={!model || running !== null || !model.summary.tokenizer}
          onClick={() => void runLmExits()}
        >
          Run early exit
        </button>
      </div>
      <LmTaskProgress running={running} onCancel={() => abortLmTask('running')} />
      <ChartView
        create={createTradeoffChart}
        options={options}
        data={data}
        exportSubject={subject}
        stale={stale}
        placeholder="Run early exit to see next-token accuracy against mean exit layer."
      />
      <LmGeneration />
    </section>
  );
}
