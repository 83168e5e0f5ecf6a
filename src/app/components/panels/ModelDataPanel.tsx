import { useShallow } from 'zustand/react/shallow';
import { modelChoicesFor } from '../../import/userDatasetFit';
import { isUserDataset, selectUserDataset } from '../../import/userDatasetSelection';
import { findModel, modelOptionLabel } from '../../state/catalog';
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
  const withModels = datasets.filter(
    (d) => d.origin === 'user' || models.some((m) => m.dataset === d.name),
  );
  // A user's dataset has no models of its own: it lists the models that can read it.
  const userInfo = isUserDataset(datasets, dataset)
    ? datasets.find((d) => d.name === dataset)
    : undefined;
  const modelChoices = modelChoicesFor(datasets, models, dataset);
  return (
    <section className="panel panel-data" aria-labelledby="data-title">
      <h2 id="data-title">Model &amp; data</h2>
      <SelectField
        label="Dataset"
        value={dataset}
        options={withModels.map((d) => ({
          value: d.name,
          label: d.origin === 'user' ? `${d.title} (yours)` : d.title,
        }))}
        onChange={(name) =>
          isUserDataset(datasets, name) ? selectUserDataset(name) : selectDataset(name)
        }
      />
      <SelectField
        label="Model"
        value={modelId}
        options={modelChoices.map((m) => ({ value: m.id, label: modelOptionLabel(m) }))}
        onChange={(id) => (userInfo ? selectUserDataset(userInfo.name, id) : selectModel(id))}
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
