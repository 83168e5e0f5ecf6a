// One zustand store of typed slices (docs/design.md §1): config (what the user chose), run (what
// engine is doing), results (what it computed), ui (messages). The engine itself stays outside
// the store; src/app/effects turns config changes into engine calls.
import { create, type StoreApi, type UseBoundStore } from 'zustand';
import type { DatasetInfo, ModelInfo } from '../engine/apiTypes';
import { defaultCompare, findModel, modelsOf } from './state/catalog';
import { DEFAULT_CONFIG, DEFAULT_THRESHOLDS, type ExplorerConfig } from './state/config';
import { INITIAL_RESULTS, type AnalysisRole, type ResultsSlice } from './state/results';
import {
  INITIAL_RUN,
  type Channel,
  type RunSlice,
  type TaskProgress,
  type TrainingRun,
} from './state/run';
import { INITIAL_UI, MAX_ALERTS, type Alert, type UiSlice } from './state/ui';
import {
  resolveSelection,
  sameSelection,
  selectionListed,
  selectionOf,
  type Selection,
} from './state/selection';
import { modelReadsUserDataset } from './import/userDatasetFit';
import { INITIAL_BUDGET, liftBudget, type BudgetSlice } from './state/sampleBudgetState';

export interface StrataActions {
  setConfig(patch: Partial<ExplorerConfig>): void;
  setCompare(patch: Partial<ExplorerConfig['compare']>): void;
  setExit(patch: Partial<ExplorerConfig['exit']>): void;
  setTrain(patch: Partial<ExplorerConfig['train']>): void;
  /** Studies model `id`: its dataset follows; the A/B pair resets when the dataset changes. */
  selectModel(id: string): void;
  /** Switches to `name`'s preferred model (aligned, else the first listed). */
  selectDataset(name: string): void;
  /** Takes the engine's model and dataset lists; fills the config's choices where unset or gone. */
  applyCatalog(models: ModelInfo[], datasets?: DatasetInfo[]): void;
  /**
   * Takes a whole config (a share link): its model, dataset and A/B ids are checked against the
   * catalogue now, or held back until it arrives, so no engine work starts on an unchecked id.
   */
  applyConfig(config: ExplorerConfig): void;
  setRun(patch: Partial<RunSlice>): void;
  /** Marks a channel busy (progress null before the first event), or idle with `undefined`. */
  setTask(channel: Channel, progress: TaskProgress | null | undefined): void;
  setTraining(patch: Partial<TrainingRun>): void;
  setResults(patch: Partial<ResultsSlice>): void;
  setAnalysis(role: AnalysisRole, result: ResultsSlice['analysis'][AnalysisRole]): void;
  /** Shows `text`; with a `key`, replaces the alert of that key where it stands instead. */
  addAlert(kind: Alert['kind'], text: string, key?: string): void;
  dismissAlert(id: number): void;
  /** Asks for (or stops) the agreement of every measure with cosine (state/agreement.ts). */
  setAgreementWanted(wanted: boolean): void;
  /** Analyses `modelId` on every sample asked for, past the first analysis's time budget. */
  liftSampleBudget(modelId: string): void;
}

/** A share link's selection that the catalogue has not settled yet (see applyConfig). */
export interface LinkWait {
  /** A link's ids waiting for the catalogue. */
  pending: Selection | null;
  /**
   * A link's selection the first catalogue could not honour, and what was opened instead: a
   * fine-tune saved in this browser is listed only once storage has been read, a moment later.
   * A later catalogue that lists it opens it, unless the user has chosen something else since.
   */
  unmet: { asked: Selection; opened: Selection } | null;
}

export interface StrataState extends StrataActions {
  config: ExplorerConfig;
  run: RunSlice;
  results: ResultsSlice;
  ui: UiSlice;
  link: LinkWait;
  budget: BudgetSlice;
}

export type StrataStore = UseBoundStore<StoreApi<StrataState>>;

const initialData = (): Omit<StrataState, keyof StrataActions> => ({
  config: structuredClone(DEFAULT_CONFIG),
  run: INITIAL_RUN,
  results: INITIAL_RESULTS,
  ui: INITIAL_UI,
  link: { pending: null, unmet: null },
  budget: INITIAL_BUDGET,
});

let nextAlertId = 1;

const withSelection = (config: ExplorerConfig, sel: Selection): ExplorerConfig => ({
  ...config,
  ...sel,
  compare: { ...config.compare, ...sel.compare },
});

/** A fresh store (the page has one; tests make their own). */
export function createStrataStore(): StrataStore {
  return create<StrataState>()((set, get) => {
    const patchConfig = (patch: Partial<ExplorerConfig>) =>
      set((s) => ({ config: { ...s.config, ...patch } }));
    const resolveAndSet = (config: ExplorerConfig, models: ModelInfo[], extra = {}) => {
      const datasets =
        (extra as { results?: { datasets: DatasetInfo[] } }).results?.datasets ??
        get().results.datasets;
      const { selection, notices } = resolveSelection(selectionOf(config), models, (name, m) =>
        modelReadsUserDataset(datasets, name, m),
      );
      set({ ...extra, config: withSelection(config, selection) });
      notices.forEach((n) => get().addAlert('notice', n));
    };
    return {
      ...initialData(),
      setConfig: patchConfig,
      setCompare: (patch) =>
        set((s) => ({ config: { ...s.config, compare: { ...s.config.compare, ...patch } } })),
      setExit: (patch) =>
        set((s) => {
          const exit = { ...s.config.exit, ...patch };
          // A new rule starts at its own default threshold unless one came with it.
          if (patch.rule && patch.rule !== s.config.exit.rule && patch.threshold === undefined)
            exit.threshold = DEFAULT_THRESHOLDS[patch.rule];
          return { config: { ...s.config, exit } };
        }),
      setTrain: (patch) =>
        set((s) => ({ config: { ...s.config, train: { ...s.config.train, ...patch } } })),
      selectModel(id) {
        const { results, config, addAlert } = get();
        const model = findModel(results.models, id);
        if (!model) {
          addAlert(
            'error',
            `Model "${id}" is not in the list of models; kept ${config.modelId ?? 'none'}.`,
          );
          return;
        }
        const compare =
          model.dataset === config.dataset
            ? config.compare
            : { ...config.compare, ...defaultCompare(results.models, model.dataset) };
        patchConfig({ modelId: model.id, dataset: model.dataset, compare });
      },
      selectDataset(name) {
        const { results, selectModel, addAlert } = get();
        const of = modelsOf(results.models, name);
        const pick =
          of.find((m) => m.id === `${name}-aligned`) ??
          of.find((m) => m.loss === 'aligned') ??
          of[0];
        if (!pick) {
          addAlert('error', `No model was trained on dataset "${name}"; pick another dataset.`);
          return;
        }
        selectModel(pick.id);
      },
      applyCatalog(models, datasets) {
        const { config, results, link } = get();
        const fromLink = link.pending;
        let { unmet } = link;
        let asked = fromLink ? withSelection(config, fromLink) : config;
        // The user has chosen since the link was opened: the link's wish is over.
        if (unmet && !sameSelection(selectionOf(config), unmet.opened)) unmet = null;
        const late =
          !fromLink && unmet && selectionListed(unmet.asked, models) ? unmet.asked : null;
        if (late) {
          asked = withSelection(config, late);
          unmet = null;
        }
        // One update: the effects never see the new list with an unchecked selection.
        resolveAndSet(asked, models, {
          results: { ...results, models, datasets: datasets ?? results.datasets },
          link: { pending: null, unmet },
        });
        const opened = selectionOf(get().config);
        if (fromLink && !sameSelection(opened, fromLink))
          set({ link: { pending: null, unmet: { asked: fromLink, opened } } });
        if (late && sameSelection(opened, late))
          get().addAlert(
            'notice',
            `Opened the link's ${late.modelId ?? 'view'} now that it is loaded.`,
          );
      },
      applyConfig(config) {
        const { results } = get();
        if (results.models.length > 0) return resolveAndSet(config, results.models);
        set({
          link: { ...get().link, pending: selectionOf(config) },
          config: withSelection(config, {
            modelId: null,
            dataset: null,
            compare: { a: null, b: null },
          }),
        });
      },
      setRun: (patch) => set((s) => ({ run: { ...s.run, ...patch } })),
      setTask: (channel, progress) =>
        set((s) => {
          const tasks = { ...s.run.tasks };
          if (progress === undefined) delete tasks[channel];
          else tasks[channel] = progress;
          return { run: { ...s.run, tasks } };
        }),
      setTraining: (patch) =>
        set((s) => ({ run: { ...s.run, training: { ...s.run.training, ...patch } } })),
      setResults: (patch) => set((s) => ({ results: { ...s.results, ...patch } })),
      setAnalysis: (role, result) =>
        set((s) => ({
          results: { ...s.results, analysis: { ...s.results.analysis, [role]: result } },
        })),
      addAlert: (kind, text, key) =>
        set((s) => {
          const same = key === undefined ? -1 : s.ui.alerts.findIndex((a) => a.key === key);
          if (same >= 0) {
            const alerts = s.ui.alerts.map((a, i) => (i === same ? { ...a, kind, text } : a));
            return { ui: { ...s.ui, alerts } };
          }
          // A message already on show is not repeated.
          if (s.ui.alerts.some((a) => a.text === text)) return {};
          const alert: Alert = {
            id: nextAlertId++,
            kind,
            text,
            ...(key === undefined ? {} : { key }),
          };
          const alerts = [...s.ui.alerts, alert].slice(-MAX_ALERTS);
          return { ui: { ...s.ui, alerts } };
        }),
      dismissAlert: (id) =>
        set((s) => ({ ui: { ...s.ui, alerts: s.ui.alerts.filter((a) => a.id !== id) } })),
      setAgreementWanted: (wanted) =>
        set((s) => ({
          ui: { ...s.ui, agreementWanted: wanted },
          // Put away, the table's numbers go too: none is left to go out of date unseen.
          results: wanted ? s.results : { ...s.results, agreement: null },
        })),
      liftSampleBudget: (modelId) => set((s) => ({ budget: liftBudget(s.budget, modelId) })),
    };
  });
}

/** The page's store. */
export const useStrata = createStrataStore();

/** Back to the initial state (tests). */
export function resetStrata(store: StrataStore = useStrata): void {
  store.setState(initialData());
}
