import { useShallow } from 'zustand/react/shallow';
import { sampleBudgetOf } from '../../state/sampleBudgetState';
import { useStrata } from '../../store';
import { modelTitle } from '../../state/modelNames';

const count = (n: number) => n.toLocaleString('en-US');

/** "~2.4 min" / "~25 s" / "<1 s": the estimate in words, rounded as an estimate should be. */
export function aboutSeconds(s: number): string {
  if (s < 1) return '<1 s';
  return s >= 90 ? `~${(s / 60).toFixed(1)} min` : `~${Math.round(s)} s`;
}

/**
 * Says when the model under study is analysed on fewer samples than asked (the first analysis's
 * time budget, state/sampleBudget.ts), and lets the user ask for all of them.
 */
export function SampleBudgetNote() {
  const modelId = useStrata((s) => s.config.modelId);
  const name = useStrata((s) => modelId && modelTitle(s.results.models, modelId));
  const asked = useStrata((s) => s.config.samples);
  const budget = useStrata(useShallow((s) => (modelId ? sampleBudgetOf(s, modelId) : null)));
  const lift = useStrata((s) => s.liftSampleBudget);
  if (!modelId || !budget?.capped) return null;
  return (
    <p className="panel-help" data-testid="sample-budget">
      {count(budget.samples)} samples (of the {count(asked)} asked) to keep the first analysis of{' '}
      {name} under {aboutSeconds(budget.seconds)} on {budget.backend} (rate: {budget.basis}).{' '}
      <button type="button" onClick={() => lift(modelId)}>
        Analyse all {count(asked)} samples
      </button>
    </p>
  );
}
