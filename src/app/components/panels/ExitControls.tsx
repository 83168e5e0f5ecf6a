import { useId } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ExitRule } from '../../../engine/apiTypes';
import { thresholdRange } from '../../chartData/exits';
import { findModel } from '../../state/catalog';
import { EXIT_RULE_NAMES } from '../../state/config';
import { useStrata } from '../../store';
import { SelectField } from '../controls/Fields';

const RULE_LABELS: Record<ExitRule, string> = {
  confidence: 'confidence: max softmax ≥ τ',
  entropy: 'entropy: entropy ≤ τ (nats)',
  patience: 'patience: top-1 unchanged for k layers',
};

/** The exit rule and its threshold; the slider's readout follows at once. */
export function ExitControls() {
  const exit = useStrata(useShallow((s) => s.config.exit));
  const model = useStrata((s) => findModel(s.results.models, s.config.modelId));
  const setExit = useStrata((s) => s.setExit);
  const id = useId();
  const range = thresholdRange(exit.rule, model?.numLayers ?? 1, model?.numClasses ?? 2);
  const symbol = exit.rule === 'patience' ? 'k' : 'τ';
  return (
    <div className="controls">
      <SelectField<ExitRule>
        label="Exit rule"
        value={exit.rule}
        options={EXIT_RULE_NAMES.map((r) => ({ value: r, label: RULE_LABELS[r] }))}
        onChange={(rule) => setExit({ rule })}
      />
      <div className="field field-range">
        <label htmlFor={id}>
          Threshold {symbol} = <output htmlFor={id}>{exit.threshold}</output>
        </label>
        <input
          id={id}
          type="range"
          min={range.min}
          max={range.max}
          step={range.step}
          value={Math.min(range.max, Math.max(range.min, exit.threshold))}
          onChange={(e) => setExit({ threshold: Number(e.target.value) })}
        />
      </div>
    </div>
  );
}
