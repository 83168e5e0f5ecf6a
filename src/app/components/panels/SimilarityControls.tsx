import { useShallow } from 'zustand/react/shallow';
import type { Pooling } from '../../../engine/apiTypes';
import { CKA_METRIC_LABELS, CKA_METRICS, POOLINGS, type CkaMetric } from '../../state/config';
import { CONFIG_FIELDS } from '../../state/configSchema';
import { useStrata } from '../../store';
import { CheckboxField, NumberField, SelectField } from '../controls/Fields';

const POOLING_LABELS: Record<Pooling, string> = {
  cls: 'cls (class token)',
  mean: 'mean over tokens',
  tokens: 'tokens (every token a row)',
};

/** What the similarity views compute: N, the CKA variant, the pooling, the head's LayerNorm. */
export function SimilarityControls() {
  const c = useStrata(
    useShallow((s) => ({
      samples: s.config.samples,
      seed: s.config.seed,
      ckaMetric: s.config.ckaMetric,
      ckaBatchSize: s.config.ckaBatchSize,
      rbfT: s.config.rbfT,
      pooling: s.config.pooling,
      finalNormInHead: s.config.finalNormInHead,
    })),
  );
  const setConfig = useStrata((s) => s.setConfig);
  const { samples, seed, ckaBatchSize, rbfT } = CONFIG_FIELDS;
  return (
    <div className="controls">
      <NumberField
        label="Samples N"
        value={c.samples}
        min={samples.min}
        max={samples.max}
        integer
        onCommit={(v) => setConfig({ samples: v })}
      />
      <NumberField
        label="Sample seed"
        value={c.seed}
        min={seed.min}
        max={seed.max}
        integer
        onCommit={(v) => setConfig({ seed: v })}
      />
      <SelectField<CkaMetric>
        label="CKA variant"
        value={c.ckaMetric}
        options={CKA_METRICS.map((m) => ({ value: m, label: CKA_METRIC_LABELS[m] }))}
        onChange={(v) => setConfig({ ckaMetric: v })}
      />
      {c.ckaMetric === 'cka-minibatch' && (
        <NumberField
          label="Minibatch CKA batch size"
          value={c.ckaBatchSize}
          min={ckaBatchSize.min}
          max={ckaBatchSize.max}
          integer
          onCommit={(v) => setConfig({ ckaBatchSize: v })}
        />
      )}
      {c.ckaMetric === 'cka-rbf' && (
        <NumberField
          label="RBF bandwidth t (σ = t × median distance)"
          value={c.rbfT}
          min={rbfT.min}
          max={rbfT.max}
          step={0.05}
          onCommit={(v) => setConfig({ rbfT: v })}
        />
      )}
      <SelectField<Pooling>
        label="Pooling"
        value={c.pooling}
        options={POOLINGS.map((p) => ({ value: p, label: POOLING_LABELS[p] }))}
        onChange={(v) => setConfig({ pooling: v })}
      />
      <CheckboxField
        label="Shared head includes the final LayerNorm"
        checked={c.finalNormInHead}
        onChange={(v) => setConfig({ finalNormInHead: v })}
      />
    </div>
  );
}
