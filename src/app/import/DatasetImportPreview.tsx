import { useId, useState } from 'react';
import type { DatasetSummary, ModelInfo } from '../../engine/apiTypes';
import { ClassCounts, ImageGrid, TextSamples } from '../components/panels/DatasetPreview';
import { findModel } from '../state/catalog';
import { useStrata } from '../store';
import { cancelPending, choosePendingColumns, resplitPending, adoptPending } from './datasetImport';
import { useDatasetImport } from './datasetImportState';

/** What the model on show can do with the dataset: analyse it, or what would be needed. */
function fitText(summary: DatasetSummary, like: string | undefined, model: ModelInfo | null) {
  const classes = summary.classNames.length;
  if (!like && summary.kind === 'text')
    return 'No text model here can read it: its texts get a word vocabulary of their own, and no listed model was trained on Strata’s word tokenizer. It can still be listed as yours.';
  if (!like)
    return `No model here reads ${summary.inputShape.join('×')} images (see above); it can still be listed as yours.`;
  if (!model || model.dataset !== like) return `The ${like} models can read it.`;
  if (model.numClasses === classes)
    return `${model.id} can read it: its heatmaps, per-layer accuracy and exits are computed on this dataset's test split.`;
  return `${model.id} reads its input, but its head has ${model.numClasses} classes and this dataset ${classes}: per-layer accuracy needs a head of ${classes} classes. Fine-tuning on it starts a new ${classes}-class head.`;
}

/** The preview of a dropped dataset, before "Use this dataset" registers it. */
export function DatasetImportPreview() {
  const pending = useDatasetImport((s) => s.pending);
  const busy = useDatasetImport((s) => s.busy);
  const model = useStrata((s) => findModel(s.results.models, s.config.modelId));
  const splitId = useId();
  const textId = useId();
  const labelId = useId();
  const fraction = pending?.staged.testFraction ?? 0.2;
  // The slider's position while it moves; the engine is asked when it is let go.
  const [draft, setDraft] = useState<number | null>(null);
  const percent = draft ?? Math.round(fraction * 100);
  const commitSplit = () => {
    if (draft === null) return;
    setDraft(null);
    if (draft / 100 !== fraction) void resplitPending(draft / 100);
  };
  if (!pending) return null;
  const { summary, notes, like, columns } = pending.staged;
  return (
    <div className="dataset-import" role="region" aria-labelledby="dataset-import-title">
      <h3 id="dataset-import-title">Preview: {pending.title}</h3>
      <p className="panel-help">
        {summary.kind === 'image' ? 'Images' : 'Texts'}, {summary.classNames.length} classes,{' '}
        {(summary.trainCount + summary.testCount).toLocaleString('en-US')} rows
        {summary.kind === 'image' ? ` of ${summary.inputShape.join('×')}` : ''}. Nothing is used
        until you say so.
      </p>
      {summary.kind === 'image' && summary.preview.images ? (
        <ImageGrid summary={summary} />
      ) : (
        <TextSamples summary={summary} />
      )}
      {columns && (
        <div className="import-columns">
          {columns.guessed && (
            <p className="panel-help">
              No column is named text/sentence/review/content or label/labels/class/target; check
              the columns Strata guessed.
            </p>
          )}
          <div className="field">
            <label htmlFor={textId}>Text column</label>
            <select
              id={textId}
              value={columns.text}
              disabled={busy}
              onChange={(e) => void choosePendingColumns(e.target.value, columns.label)}
            >
              {columns.names.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={labelId}>Label column</label>
            <select
              id={labelId}
              value={columns.label}
              disabled={busy}
              onChange={(e) => void choosePendingColumns(columns.text, e.target.value)}
            >
              {columns.names.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </div>
        </div>
      )}
      <div className="field">
        <label htmlFor={splitId}>Test split: {percent} %</label>
        <input
          id={splitId}
          type="range"
          min={5}
          max={50}
          step={5}
          value={percent}
          onChange={(e) => setDraft(Number(e.target.value))}
          onPointerUp={commitSplit}
          onKeyUp={commitSplit}
          onBlur={commitSplit}
        />
      </div>
      <ClassCounts summary={summary} />
      {notes.length > 0 && (
        <ul className="import-notes">
          {notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      <p className="panel-help import-fit">{fitText(summary, like, model)}</p>
      <div className="import-actions">
        <button type="button" disabled={busy} onClick={() => void adoptPending()}>
          Use this dataset
        </button>
        <button type="button" onClick={() => cancelPending()}>
          Cancel
        </button>
      </div>
    </div>
  );
}
