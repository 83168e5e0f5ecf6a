import { useEffect, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { createHeatmap, type HeatmapData, type HeatmapOptions } from '../../charts/heatmap';
import type { SimilarityMetric } from '../../engine/apiTypes';
import { DECODER_POOLINGS, type DecoderPooling } from '../../engine/decoder/decoderPooling';
import {
  LM_POOLING_LABELS,
  lmAcrossCaption,
  lmAcrossHeatmap,
  lmSimilarityCaption,
  lmSimilarityHeatmap,
  type LmCaptionRun,
} from '../chartData/lmSimilarity';
import { metricLabel, undefinedCaption } from '../chartData/similarity';
import { ChartView } from '../charts/ChartView';
import { NumberField, SelectField } from '../components/controls/Fields';
import type { ExportSubject } from '../share/exportContext';
import { CKA_METRIC_LABELS, CKA_METRICS, type CkaMetric } from '../state/config';
import { useLens } from './lensState';
import { lmRunSubject } from './lmRunSubject';
import { lmSimilarityStaleness } from './lmSimilarityCurrency';
import { useLmSimilarity } from './lmSimilarityState';
import { abortLmSimilarity, followLmSimilarity, runLmSimilarity } from './runLmSimilarity';
import { LmTaskProgress } from './LmTaskProgress';

const MAX_SEED = 2 ** 31 - 1;

function heatmapOptions(metric: SimilarityMetric, caption: string, across = false): HeatmapOptions {
  return metric === 'cosine'
    ? { scale: 'diverging', caption, markDiagonal: across }
    : { scale: 'sequential', valueLabel: metricLabel(metric), caption, markDiagonal: across };
}

/** One heatmap of the section, its caption telling which hatched cells are undefined. */
function LmHeatmap(props: {
  metric: SimilarityMetric;
  caption: string;
  data: HeatmapData | null;
  stale: string | null;
  subject?: ExportSubject;
  across?: boolean;
}) {
  const caption = `${props.caption}${undefinedCaption(props.data)}`;
  return (
    <ChartView
      create={createHeatmap}
      options={heatmapOptions(props.metric, caption, props.across)}
      data={props.data}
      stale={props.stale}
      exportSubject={props.subject}
      placeholder="Run the layer similarity to see this heatmap."
    />
  );
}

/**
 * Layer similarity of the page's language model beside its logit lens: cosine and a CKA variant
 * between every pair of hidden states h_0 (the embeddings) … h_L on the lens's texts, each layer
 * pooled as chosen; with a comparison model, its heatmaps beside and the two models across.
 */
export function LmSimilarityPanel() {
  const model = useLens((s) => s.model);
  const lens = useLens(
    useShallow((s) => ({
      model: s.model,
      compare: s.compare,
      texts: s.texts,
      maxLength: s.maxLength,
      samples: s.samples,
    })),
  );
  const state = useLmSimilarity();
  const { pooling, cka, seed, running, result } = state;
  useEffect(() => followLmSimilarity(), []);
  const stale = lmSimilarityStaleness(lens, state);
  const shownCka = result?.query.cka ?? cka;
  const metrics: SimilarityMetric[] = ['cosine', shownCka];
  const a = result?.response.report ?? null;
  const b = result?.compare?.response.report ?? null;
  const across = result?.compare?.across?.report ?? null;
  const grids = useMemo(
    () =>
      metrics.map((m) => ({
        a: lmSimilarityHeatmap(a, m),
        b: lmSimilarityHeatmap(b, m),
        across: lmAcrossHeatmap(across, m),
      })),
    // `metrics` is a function of shownCka.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [a, b, across, shownCka],
  );
  if (!model && !result) return null;
  const q = result?.query;
  const run: LmCaptionRun | null = q ? { ...q, facts: result.response.facts } : null;
  const runB: LmCaptionRun | null =
    q && result.compare ? { ...q, model: q.compare!, facts: result.compare.response.facts } : null;
  const subject = (languageModel: string, versus?: string): ExportSubject | undefined =>
    q && {
      ...lmRunSubject({ ...q, model: languageModel }),
      pooling: q.pooling,
      measure: q.cka,
      ...(q.pooling === 'tokens' ? { seed: q.seed } : {}),
      ...(versus ? { versus } : {}),
    };
  // Texts (a user's or the samples) need the tokenizer; a built-in LM's held-out ids do not.
  const noTokenizer = model && !model.summary.tokenizer && (lens.texts || !model.defaultIds);
  return (
    <section className="panel panel-wide lm-similarity-panel" aria-labelledby="lm-similarity-title">
      <h2 id="lm-similarity-title">Layer similarity</h2>
      <p className="panel-help">
        Cosine and CKA between every pair of the model’s hidden states, from layer 0 (the
        embeddings) to its last, on the logit lens’s texts with its samples and max tokens.
      </p>
      <div className="lm-similarity-controls">
        <SelectField<DecoderPooling>
          label="Hidden-state pooling"
          value={pooling}
          options={DECODER_POOLINGS.map((p) => ({ value: p, label: LM_POOLING_LABELS[p] }))}
          onChange={(v) => useLmSimilarity.setState({ pooling: v })}
        />
        <SelectField<CkaMetric>
          label="Measure beside cosine"
          value={cka}
          options={CKA_METRICS.map((m) => ({ value: m, label: CKA_METRIC_LABELS[m] }))}
          onChange={(v) => useLmSimilarity.setState({ cka: v })}
        />
        {pooling === 'tokens' && (
          <NumberField
            label="Token-row seed"
            value={seed}
            min={0}
            max={MAX_SEED}
            integer
            onCommit={(v) => useLmSimilarity.setState({ seed: v })}
          />
        )}
        <button
          type="button"
          disabled={!model || running !== null || !!noTokenizer}
          onClick={() => void runLmSimilarity()}
        >
          Run the layer similarity
        </button>
      </div>
      <LmTaskProgress running={running} onCancel={abortLmSimilarity} />
      {runB ? (
        // A comparison: each measure's row holds A and B side by side.
        metrics.map((m, i) => (
          <div className="chart-row chart-row-2" key={m}>
            <LmHeatmap
              metric={m}
              caption={lmSimilarityCaption(m, run)}
              data={grids[i].a}
              stale={stale}
              subject={subject(q?.model ?? '')}
            />
            <LmHeatmap
              metric={m}
              caption={lmSimilarityCaption(m, runB)}
              data={grids[i].b}
              stale={stale}
              subject={subject(runB.model)}
            />
          </div>
        ))
      ) : (
        <div className="chart-row chart-row-2">
          {metrics.map((m, i) => (
            <LmHeatmap
              key={m}
              metric={m}
              caption={lmSimilarityCaption(m, run)}
              data={grids[i].a}
              stale={stale}
              subject={subject(q?.model ?? '')}
            />
          ))}
        </div>
      )}
      {runB && result?.compare?.across === null && (
        <p className="panel-help" role="note">
          No heatmap across the two models: their vocabularies differ, so the same ids are not the
          same tokens to both.
        </p>
      )}
      {runB && result?.compare?.across && (
        <div className="chart-row chart-row-2">
          {metrics.map((m, i) => (
            <LmHeatmap
              key={m}
              metric={m}
              caption={lmAcrossCaption(m, run, runB.model)}
              data={grids[i].across}
              stale={stale}
              subject={subject(run!.model, runB.model)}
              across
            />
          ))}
        </div>
      )}
    </section>
  );
}
