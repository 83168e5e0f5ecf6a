import { formatMemory } from '../state/fineTuneCost';
import { useStrata } from '../store';
import { ImportProgress } from './ImportProgress';
import { useImports } from './importState';
import { adoptImportedModel, cancelImportedModel, datasetFor, neededDataset } from './modelImport';
import { WeightsProgress } from './WeightsProgress';
import { useWeightsLoad } from './weightsLoad';

const count = (n: number) => n.toLocaleString('en-US');
const CLASS_NAMES_SHOWN = 6;

/**
 * The summary of a dropped checkpoint, before it is used: what it is, which dataset it will open
 * on (or which it needs), and "Use this model" / "Cancel". Shows the reading progress meanwhile.
 */
export function ModelImportReview() {
  const pending = useImports((s) => s.pendingModel);
  const currentDataset = useStrata((s) => s.config.dataset);
  const datasets = useStrata((s) => s.results.datasets);
  const queued = useWeightsLoad((s) => s.load?.queued === true);
  if (!pending) return <ImportProgress />;
  const { fit, keepsCurrent } = datasetFor(pending, currentDataset, datasets);
  const title = (name: string) => datasets.find((d) => d.name === name)?.title ?? name;
  const here = pending.datasets.find((d) => d.dataset === currentDataset);
  const names = pending.classNames.slice(0, CLASS_NAMES_SHOWN).join(', ');
  const more = pending.classNames.length > CLASS_NAMES_SHOWN ? ', …' : '';
  return (
    <section className="panel import-review" aria-labelledby="import-review-title">
      <h2 id="import-review-title">Your model: {pending.name}</h2>
      <dl className="import-summary">
        <dt>Architecture</dt>
        <dd>
          {/* A break after "For" keeps ViTForImageClassification readable in the side panel. */}
          {pending.architecture.split(/(?<=For)/).map((part, i) => (
            <span key={i}>
              {i > 0 && <wbr />}
              {part}
            </span>
          ))}
        </dd>
        <dt>Layers</dt>
        <dd>{pending.numLayers}</dd>
        <dt>Hidden size</dt>
        <dd>{pending.hiddenSize}</dd>
        <dt>Heads</dt>
        <dd>{pending.numHeads}</dd>
        <dt>Classes</dt>
        <dd>
          {pending.numClasses} ({names}
          {more})
        </dd>
        <dt>Parameters</dt>
        <dd>{count(pending.parameters)}</dd>
        <dt>Weights</dt>
        <dd>
          {formatMemory(pending.weights.bytes)} in {pending.weights.tensors} tensors
        </dd>
        <dt>Input</dt>
        <dd>
          {pending.kind === 'image'
            ? `${pending.inputShape.join('×')} images (H×W×C)`
            : `up to ${pending.inputShape[0]} tokens`}
        </dd>
        {pending.tokenizer && (
          <>
            <dt>Tokenizer</dt>
            <dd>
              {pending.tokenizer.file} ({count(pending.tokenizer.vocabSize)} tokens)
            </dd>
          </>
        )}
      </dl>
      <p className="panel-help" data-testid="import-dataset">
        {fit
          ? keepsCurrent
            ? `Opens on ${title(fit.dataset)}, the current dataset.`
            : `Opens on ${title(fit.dataset)}: the current dataset${currentDataset ? ` (${title(currentDataset)})` : ''} does not fit${here?.reason ? ` — ${here.reason}` : ''}.`
          : `Needs ${neededDataset(pending)}; no dataset here fits${here?.reason ? ` (${title(here.dataset)}: ${here.reason})` : ''}. Drop such a dataset, then use the model.`}
      </p>
      {fit?.note && <p className="panel-help">Its {fit.note.replace(/^its /, '')}.</p>}
      {pending.notes.length > 0 && (
        <ul className="panel-help">
          {pending.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      {pending.unusedTensors.length > 0 && (
        <p className="panel-help">
          Not used by the classifier: {pending.unusedTensors.slice(0, 4).join(', ')}
          {pending.unusedTensors.length > 4 ? `, … (${pending.unusedTensors.length})` : ''}
        </p>
      )}
      <WeightsProgress bytes={pending.weights.bytes} tensors={pending.weights.tensors} />
      <div className="controls">
        <button type="button" disabled={!fit || queued} onClick={() => void adoptImportedModel()}>
          {queued ? 'Opening when loaded…' : 'Use this model'}
        </button>
        <button type="button" onClick={() => void cancelImportedModel()}>
          Cancel
        </button>
      </div>
      <ImportProgress />
    </section>
  );
}
