import { useId } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { formatShort, formatSpeedup } from '../../charts/text';
import type { ExitRule } from '../../engine/exits/rules';
import { exitLayerColors, generationSummary, LM_EXIT_RULES } from '../chartData/lmExits';
import { thresholdRange } from '../chartData/exits';
import { NumberField, SelectField } from '../components/controls/Fields';
import { useLens } from './lensState';
import { useLmExit, type GenerationRun } from './lmExitState';
import { LmTaskProgress } from './LmTaskProgress';
import { abortLmTask, runGeneration } from './runLmExits';

/** A threshold that lets some tokens of the built-in LMs leave early, per rule. */
const START_THRESHOLD: Record<ExitRule, number> = { confidence: 0.2, entropy: 5, patience: 1 };

export const CALM_CHOICE =
  'A token that leaves after block e is the input of the blocks it skipped at its position: their keys and values are computed from its exited hidden state (CALM’s state propagation), so later tokens attend to it at every layer; attention and MLP of those blocks are skipped.';

/**
 * Greedy generation from a prompt where each new token leaves at the first layer whose logit lens
 * satisfies the rule: the tokens as chips labelled and coloured by exit layer.
 */
export function LmGeneration() {
  const model = useLens((s) => s.model);
  const { generation, generating, generated } = useLmExit(
    useShallow((s) => ({
      generation: s.generation,
      generating: s.generating,
      generated: s.generated,
    })),
  );
  const promptId = useId();
  const set = (patch: Partial<typeof generation>) =>
    useLmExit.setState((s) => ({ generation: { ...s.generation, ...patch } }));
  const layers = model?.summary.numLayers ?? 1;
  const range = thresholdRange(generation.rule, layers, model?.summary.vocabSize ?? 2);
  return (
    <div className="lm-generation" role="group" aria-labelledby="lm-generation-title">
      <h3 id="lm-generation-title">Generation with early exit</h3>
      <div className="lens-controls">
        <div className="field">
          <label htmlFor={promptId}>Prompt</label>
          <textarea
            id={promptId}
            rows={2}
            value={generation.prompt}
            onChange={(e) => set({ prompt: e.target.value })}
          />
        </div>
        <NumberField
          label="New tokens"
          value={generation.maxNew}
          min={1}
          max={64}
          integer
          onCommit={(v) => set({ maxNew: v })}
        />
        <SelectField<ExitRule>
          label="Generation rule"
          value={generation.rule}
          options={LM_EXIT_RULES}
          onChange={(r) => set({ rule: r, threshold: START_THRESHOLD[r] })}
        />
        <NumberField
          label={generation.rule === 'patience' ? 'Patience k' : 'Threshold τ'}
          value={generation.threshold}
          min={generation.rule === 'confidence' ? 0.01 : range.min}
          max={range.max}
          integer={generation.rule === 'patience'}
          onCommit={(v) => set({ threshold: v })}
        />
        <button
          type="button"
          disabled={
            !model ||
            generating !== null ||
            !model.summary.tokenizer ||
            generation.prompt.trim() === ''
          }
          onClick={() => void runGeneration()}
        >
          Generate
        </button>
      </div>
      <LmTaskProgress running={generating} onCancel={() => abortLmTask('generating')} />
      <p className="panel-help">
        {CALM_CHOICE}
        {model?.builtin
          ? ' [UNK] and [PAD] are never generated (the next most likely word is).'
          : ''}
      </p>
      {generated ? (
        <GeneratedTokens run={generated} />
      ) : (
        <p className="panel-help">Generate to see the layer each new token leaves at.</p>
      )}
    </div>
  );
}

function GeneratedTokens({ run }: { run: GenerationRun }) {
  const { layers, samples } = run.response;
  const sample = samples[0];
  if (!sample) return null;
  const summary = generationSummary(sample, layers);
  const threshold = `${run.rule === 'patience' ? 'k' : 'τ'} = ${run.threshold}`;
  return (
    <div className="lm-generated">
      <p className="lm-prompt">
        <strong>{run.model}</strong>, {run.rule} rule {threshold}:{' '}
        <span className="lm-prompt-text">{sample.promptText ?? run.prompt}</span> →
      </p>
      <ol className="lm-chips" aria-label="Generated tokens and the layer each exited at">
        {sample.tokens.map((t, k) => {
          const { fill, text } = exitLayerColors(t.exitLayer, layers);
          const shown = t.text && t.text.trim() !== '' ? t.text : `#${t.token}`;
          return (
            <li
              key={k}
              className="lm-chip"
              data-exit-layer={t.exitLayer}
              data-token={t.token}
              style={{ background: fill, color: text }}
              title={`token ${t.token}${t.text ? ` “${t.text}”` : ' (a special token)'}: exited after layer ${t.exitLayer} of ${layers}, max probability ${formatShort(t.confidence)}`}
            >
              <span className="lm-chip-text">{shown}</span>
              <span className="lm-chip-layer">L{t.exitLayer}</span>
            </li>
          );
        })}
      </ol>
      <ul className="lm-legend" aria-label="Exit layer colours">
        {Array.from({ length: layers }, (_, i) => {
          const { fill, text } = exitLayerColors(i + 1, layers);
          return (
            <li key={i} style={{ background: fill, color: text }}>
              layer {i + 1}
            </li>
          );
        })}
      </ul>
      <p className="lm-generation-summary" aria-live="polite">
        {summary.tokens} new tokens, mean exit layer {formatShort(summary.meanExitLayer)} of{' '}
        {layers}: {formatSpeedup(summary.speedup)}× speed-up against full depth (blocks run; the
        skipped blocks’ key/value projections not counted).
      </p>
    </div>
  );
}
