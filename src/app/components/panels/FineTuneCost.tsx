import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { fineTuneCostOf, formatMemory } from '../../state/fineTuneCost';
import { isTrainingActive } from '../../state/run';
import { useStrata } from '../../store';
import { pageEngine } from '../../useEngine';
import { aboutSeconds } from './SampleBudgetNote';
import { modelTitle } from '../../state/modelNames';

/**
 * What the fine-tune will cost before it starts: memory for weights, gradients, AdamW's two moments
 * and the batch's activations, and the time a step takes (measured once the run logs its speed);
 * or why this backend cannot hold it (the Start refuses then, trainingController.ts).
 */
export function FineTuneCost() {
  const modelId = useStrata((s) => s.config.modelId);
  const name = useStrata((s) => modelId && modelTitle(s.results.models, modelId));
  const backend = useStrata((s) => s.run.backendInfo?.name);
  const known = useStrata((s) => s.budget.gpuLimits !== null);
  const cost = useStrata(useShallow((s) => (modelId ? fineTuneCostOf(s, modelId) : null)));
  const measured = useStrata((s) =>
    isTrainingActive(s.run.training.state) ? s.run.training.stepsPerSecond : null,
  );
  useEffect(() => {
    if (backend !== 'webgpu' || known) return;
    // The buffer limits come from the worker's device; without them only memory is checked.
    pageEngine.memory().then(
      (m) => useStrata.setState((s) => ({ budget: { ...s.budget, gpuLimits: m.gpuLimits } })),
      () => undefined,
    );
  }, [backend, known]);
  if (!modelId || !cost) return null;
  const step = measured
    ? `${aboutSeconds(1 / measured)} a step (measured)`
    : `${aboutSeconds(cost.secondsPerStep)} a step (estimated)`;
  return (
    <p
      className="panel-help"
      data-testid="fine-tune-cost"
      role={cost.refusal ? 'alert' : undefined}
    >
      {cost.refusal
        ? `Cannot fine-tune ${name} here: it ${cost.refusal}`
        : `Cost: ~${formatMemory(cost.total)} of memory (weights ${formatMemory(cost.weights)}, gradients ${formatMemory(cost.gradients)}, AdamW states ${formatMemory(cost.adamw)}, activations ${formatMemory(cost.activations)}); ${step}.`}
    </p>
  );
}
