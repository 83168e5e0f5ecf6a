import { useShallow } from 'zustand/react/shallow';
import { findModel } from '../../state/catalog';
import { useStrata } from '../../store';
import { SelectField } from '../controls/Fields';
import { TaskProgress } from '../TaskProgress';
import { DatasetPreview } from './DatasetPreview';

/** Model & data: which checkpoint and dataset the page studies. */
export function ModelDataPanel() {
  const { modelId, dataset } = useStrata(
    useShallow((s) => ({ modelId: s.config.modelId, dataset: s.config.dataset })),
  );
  const models = useStrata((s) => s.results.models);
  const datasets = useStrata((s) => s.results.datasets);
  const selectModel = useStrata((s) => s.selectModel);
  const selectDataset = useStrata((s) => s.selectDataset);
  const model = findModel(models, modelId);
  const withModels = datasets.filter((d) => models.some((m) => m.dataset === d.name));
  return (
    <section className="panel panel-data" aria-labelledby="data-title">
      <h2 id="data-title">Model &amp; data</h2>
      <SelectField
        label="Dataset"
        value={dataset}
        options={withModels.map((d) => ({ value: d.name, label: d.title }))}
        onChange={selectDataset}
      />
      <SelectField
        label="Model"
        value={modelId}
        options={models
          .filter((m) => m.dataset === dataset)
          .map((m) => ({ value: m.id, label: m.builtin ? m.id : `${m.id} (fine-tuned)` }))}
        onChange={selectModel}
      />
      {model && (
        <p className="panel-help">
          {model.title}: {model.numLayers} blocks of width {model.hiddenSize}, {model.numClasses}{' '}
          classes, trained with the {model.loss} loss.
        </p>
      )}
      <TaskProgress
        streams={[
          { channel: 'catalog', label: 'Listing models' },
          { channel: 'dataset', label: 'Loading dataset' },
        ]}
      />
      <DatasetPreview />
    </section>
  );
}
