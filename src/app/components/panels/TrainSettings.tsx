import { useShallow } from 'zustand/react/shallow';
import type { LossKind } from '../../../engine/apiTypes';
import { DEFAULT_EVAL_SAMPLES, describeEvaluations } from '../../../engine/train/evalSchedule';
import {
  LOSS_KINDS,
  WEIGHTINGS,
  type NamedWeighting,
  type TrainSettings as Settings,
} from '../../state/config';
import { CONFIG_FIELDS } from '../../state/configSchema';
import { isTrainingActive } from '../../state/run';
import { useStrata } from '../../store';
import { NumberField, SelectField } from '../controls/Fields';

const LOSS_LABELS: Record<LossKind, string> = {
  standard: 'standard: CE on the last layer',
  aligned: 'aligned: one shared head at every layer',
  multihead: 'multi-head: a head per layer',
};

const WEIGHTING_LABELS: Record<NamedWeighting, string> = {
  linear: 'linear: λ_l ∝ l',
  uniform: 'uniform: λ_l = 1/L',
};

/** The fine-tune's hyper-parameters (locked while a run is under way). */
export function TrainSettings() {
  const t = useStrata(useShallow((s) => s.config.train));
  const active = useStrata((s) => isTrainingActive(s.run.training.state));
  const setTrain = useStrata((s) => s.setTrain);
  const testRows = useStrata(
    (s) => s.results.datasets.find((d) => d.name === s.config.dataset)?.testCount,
  );
  const evalRows = Math.min(DEFAULT_EVAL_SAMPLES, testRows ?? DEFAULT_EVAL_SAMPLES);
  const f = CONFIG_FIELDS;
  const num = (
    label: string,
    key: 'lr' | 'batchSize' | 'steps' | 'seed' | 'evalEvery',
    spec: { min: number; max: number; integer: boolean },
  ) => (
    <NumberField
      label={label}
      value={t[key]}
      min={spec.min}
      max={spec.max}
      integer={spec.integer}
      disabled={active}
      onCommit={(v) => setTrain({ [key]: v } as Partial<Settings>)}
    />
  );
  return (
    <>
      <div className="controls">
        <SelectField<LossKind>
          label="Loss"
          value={t.loss}
          options={LOSS_KINDS.map((l) => ({ value: l, label: LOSS_LABELS[l] }))}
          onChange={(loss) => setTrain({ loss })}
          disabled={active}
        />
        <SelectField<NamedWeighting>
          label="Layer weights"
          value={t.weighting}
          options={WEIGHTINGS.map((w) => ({ value: w, label: WEIGHTING_LABELS[w] }))}
          onChange={(weighting) => setTrain({ weighting })}
          disabled={active}
        />
        {num('Learning rate', 'lr', f['train.lr'])}
        {num('Batch size', 'batchSize', f['train.batchSize'])}
        {num('Steps', 'steps', f['train.steps'])}
        {num('Seed', 'seed', f['train.seed'])}
        {num('Evaluate every (steps)', 'evalEvery', f['train.evalEvery'])}
      </div>
      <p className="panel-help" data-testid="eval-schedule">
        Per-layer accuracy: {describeEvaluations(t.evalEvery, t.steps, evalRows, t.seed)}.
      </p>
    </>
  );
}
