import { useId, useState } from 'react';
import type { DatasetSummary, ModelInfo } from '../../engine/apiTypes';
import { ClassCounts, ImageGrid, TextSamples } from '../components/panels/DatasetPreview';
import { useStrata } from '../store';
import { cancelPending, choosePendingColumns, resplitPending, adoptPending } from './datasetImport';
import { useDatasetImport } from './datasetImportState';
import { modelsFor, preferredModel } from './userDatasetSelection';

const MODELS_NAMED = 8;

/** Which models will read the dataset, by name, and the one "Use this dataset" opens. */
function fitText(summary: DatasetSummary, models: readonly ModelInfo[], openId: string | null) {
  const readers = modelsFor(summary, models);
  const classes = summary.classNames.length;
  if (readers.length === 0)
    return `No ${summary.kind} model is listed yet; it can still be listed as yours, and any ${summary.kind} model you open or import will read it.`;
  const how =
    summary.kind === 'image'
      ? 'each resizes the images to its own input as it reads them'
      : 'each splits the texts with its own tokenizer as it reads them';
  const names = readers.slice(0, MODELS_NAMED).map((m) => m.id);
  const more = readers.length > MODELS_NAMED ? `, and ${readers.length - MODELS_NAMED} more` : '';
  const pick = preferredModel(summary, models, openId)!;
  const head =
    pick.numClasses === classes
      ? 'its heatmaps, per-layer accuracy and exits are computed on this dataset'
      : `its head has ${pick.numClasses} classes and this dataset ${classes}: similarity views only, until fine-tuning starts a ${classes}-class head`;
  return `Read by ${names.join(', ')}${more} (${how}). "Use this dataset" opens it with ${pick.id}: ${head}.`;
}

/** The preview of a dropped dataset, before "Use this dataset" registers it. */
export function DatasetImportPreview() {
  const pending = useDatasetImport((s) => s.pending);
  const busy = useDatasetImport((s) => s.busy);
  const models = useStrata((s) => s.results.models);
  const openId = useStrata((s) => s.config.modelId);
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
  const { summary, notes, columns } = pending.staged;
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
      <p className="panel-help import-fit">{fitText(summary, models, openId)}</p>
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
