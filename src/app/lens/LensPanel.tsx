import { useId, useMemo, useState } from 'react';
import { createLineChart, type LineChartOptions } from '../../charts/lineChart';
import {
  LENS_MEASURES,
  lensAccuracyChart,
  lensCaption,
  lensMeasureChart,
  type LensMeasure,
} from '../chartData/lens';
import { ChartView } from '../charts/ChartView';
import { NumberField, SelectField } from '../components/controls/Fields';
import { useLens } from './lensState';
import { lmRunSubject } from './lmRunSubject';
import { openLensTexts, TEXT_FILE_EXTENSIONS } from './lensTexts';
import { abortLens, runLens } from './runLens';
import { SAMPLE_TEXTS, SAMPLE_TEXTS_SOURCE } from './sampleTexts';
import { LmTaskProgress } from './LmTaskProgress';

const MAX_SAMPLES = 10_000;

/**
 * The logit lens of the page's language model: every layer read through the model's own final
 * norm and unembedding, scored on next-token prediction. Shown once a decoder folder is opened.
 */
export function LensPanel() {
  const model = useLens((s) => s.model);
  const texts = useLens((s) => s.texts);
  const maxLength = useLens((s) => s.maxLength);
  const samples = useLens((s) => s.samples);
  const running = useLens((s) => s.running);
  const result = useLens((s) => s.result);
  const [measure, setMeasure] = useState<LensMeasure>('loss');
  const pickerId = useId();
  const lens = result?.response.lens ?? null;
  const compare = useMemo(
    () =>
      result?.compare
        ? {
            model: result.model,
            compare: { model: result.compare.model, lens: result.compare.response.lens },
          }
        : undefined,
    [result],
  );
  const accuracy = useMemo(() => lensAccuracyChart(lens, compare), [lens, compare]);
  const other = useMemo(() => lensMeasureChart(lens, measure, compare), [lens, measure, compare]);
  if (!model && !result) return null;
  const measureInfo = LENS_MEASURES.find((m) => m.value === measure)!;
  const accuracyOptions: LineChartOptions = {
    caption: lensCaption('next-token accuracy', result),
    yDomain: 'accuracy',
    yTitle: 'next-token accuracy',
    xTitle: 'layer',
  };
  const measureOptions: LineChartOptions = {
    caption: lensCaption(measureInfo.title, result),
    yDomain: 'loss',
    yTitle: measureInfo.title,
    xTitle: 'layer',
  };
  const noTokenizer = model && !model.summary.tokenizer;
  // Exports are named after the language model, with the settings of the run on show.
  const subject = result ? lmRunSubject(result) : undefined;
  return (
    <section className="panel lens-panel" aria-labelledby="lens-title">
      <h2 id="lens-title">Logit lens</h2>
      <p className="panel-help">
        Every layer’s hidden state read through the model’s own final norm and unembedding: how well
        each layer already predicts the next token, and how far it is from the model’s output.
      </p>
      <div className="lens-controls">
        <div className="field">
          <label htmlFor={pickerId}>Texts for the lens</label>
          <input
            id={pickerId}
            type="file"
            accept={TEXT_FILE_EXTENSIONS.join(',')}
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void openLensTexts(file, file.name);
            }}
          />
          <span className="field-help">
            {texts
              ? `${texts.source}: ${texts.texts.length.toLocaleString('en-US')} texts`
              : model?.defaultIds
                ? `None opened: the ${model.defaultIds.source}`
                : `None opened: the ${SAMPLE_TEXTS.length} ${SAMPLE_TEXTS_SOURCE}`}
            . A .txt holds a text per line; .jsonl a "text" field; .csv/.tsv a text column.
          </span>
        </div>
        {texts && (
          <button type="button" onClick={() => useLens.setState({ texts: null })}>
            {model?.defaultIds ? 'Use the held-out reviews' : 'Use the sample texts'}
          </button>
        )}
        <NumberField
          label="Max tokens per text"
          value={maxLength}
          min={2}
          max={Math.max(2, model?.maxPositions ?? 2048)}
          integer
          onCommit={(v) => useLens.setState({ maxLength: v })}
        />
        <NumberField
          label="Texts (samples)"
          value={samples}
          min={1}
          max={MAX_SAMPLES}
          integer
          onCommit={(v) => useLens.setState({ samples: v })}
        />
        <button
          type="button"
          disabled={!model || running !== null || !!noTokenizer}
          onClick={() => void runLens()}
        >
          Run the logit lens
        </button>
      </div>
      {noTokenizer && (
        <p className="panel-help" role="note">
          {model.name} has no tokenizer.json: open its folder again with tokenizer.json to read
          texts.
        </p>
      )}
      <LmTaskProgress running={running} onCancel={abortLens} />
      <ChartView
        create={createLineChart}
        options={accuracyOptions}
        data={accuracy}
        exportSubject={subject}
        placeholder="Run the lens to see each layer’s next-token accuracy."
      />
      <SelectField<LensMeasure>
        label="Second chart"
        value={measure}
        options={LENS_MEASURES}
        onChange={setMeasure}
      />
      <ChartView
        create={createLineChart}
        options={measureOptions}
        data={other}
        exportSubject={subject}
        placeholder="Run the lens to see each layer’s loss, KL or rank."
      />
    </section>
  );
}
