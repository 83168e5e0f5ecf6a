// A fine-tuning run from the page: start, pause, resume, stop; its events drive the progress bar
// (store), the loss curve (stream feed, no React render) and the per-layer accuracy (store).
import type { StreamPoint } from '../../charts/streamingChart';
import type {
  EvalLog,
  ModelInfo,
  StartTrainingOptions,
  TrainEvent,
  TrainLog,
  TrainRequest,
  TrainSnapshot,
} from '../../engine/apiTypes';
import { isDeviceLostError } from '../../engine/deviceLoss';
import { isTaskAborted } from '../../engine/tasks';
import { callAsTask } from '../engineTasks';
import { fineTuneCostOf } from '../state/fineTuneCost';
import { trainRequest } from '../state/requests';
import { withModel } from '../state/revisions';
import { isTrainingActive, type TrainingState } from '../state/run';
import type { EffectContext } from './context';
import type { StreamFeed } from './streamFeed';
import { errorMessage } from './watch';
import { modelTitle } from '../state/modelNames';

export interface TrainingController {
  start(): void;
  /** Continues a saved run from its snapshot, with the evaluations and curve saved with it. */
  resumeFrom(snapshot: TrainSnapshot, saved: { evals: EvalLog[]; curve: StreamPoint[] }): void;
  pause(): void;
  resume(): void;
  stop(): void;
  dispose(): void;
}

/** Evaluations kept for the accuracy chart (the newest are what it draws). */
const MAX_EVALS = 200;

export const LOSS_SERIES = 'weighted loss';
export const LAST_LAYER_SERIES = 'last-layer CE';

/** The curve points of one log: the weighted loss, and the last layer's cross-entropy. */
export function lossPoints(log: TrainLog) {
  const points = [{ series: LOSS_SERIES, x: log.step, y: log.loss }];
  const last = log.terms[log.terms.length - 1];
  if (log.terms.length > 1 && Number.isFinite(last))
    points.push({ series: LAST_LAYER_SERIES, x: log.step, y: last });
  return points.filter((p) => Number.isFinite(p.y));
}

export function createTrainingController(
  { engine, store }: EffectContext,
  feed: StreamFeed,
  checkpoints: {
    analyze(modelId: string, tag: string): void;
    /** Drops the analysis of an evaluation in flight (Stop: the run's end is analysed next). */
    cancel(): void;
  },
  refreshModels: () => Promise<void>,
  persistence?: {
    onSnapshot(snapshot: TrainSnapshot): void;
    startOptions(): Promise<StartTrainingOptions>;
  },
): TrainingController {
  let run = 0;
  let disposed = false;
  /** The newest snapshot of the current run (or the one it resumed from): where a loss resumes. */
  let lastSnapshot: TrainSnapshot | null = null;
  /** Aborts the current run through the engine's task abort: Stop before its first step. */
  let abortRun: AbortController | null = null;
  /** An evaluation's analysis asked for while the previous one still computes. */
  let held: { modelId: string; tag: string } | null = null;
  const st = () => store.getState();
  const analyzeCheckpoint = (modelId: string, tag: string) => checkpoints.analyze(modelId, tag);
  const analysing = () => 'training' in st().run.tasks;

  /**
   * Analyses the run's model at an evaluation. One already computing is let finish (a newer
   * request would abort it, and evaluations can come faster than analyses: no picture would ever
   * land); the newest request waits and starts when it is done.
   */
  function analyzeEvaluation(modelId: string, tag: string): void {
    if (analysing()) held = { modelId, tag };
    else analyzeCheckpoint(modelId, tag);
  }
  const unsubscribe = store.subscribe(() => {
    if (!held || analysing()) return;
    const next = held;
    held = null;
    // Outside the store's notification: the request updates the store itself.
    queueMicrotask(() => !disposed && analyzeCheckpoint(next.modelId, next.tag));
  });

  function onEvent(id: number, e: TrainEvent): void {
    if (disposed || id !== run) return;
    const { setTraining, setResults } = st();
    switch (e.type) {
      case 'preparing':
        if (st().run.training.state === 'starting') setTraining({ preparing: e.phase });
        break;
      case 'log': {
        feed.push(lossPoints(e.log));
        const sps = e.log.stepsPerSecond > 0 ? e.log.stepsPerSecond : null;
        setTraining({
          step: e.log.step,
          stepsPerSecond: sps,
          ...(st().run.training.state === 'starting'
            ? { state: 'running' as const, preparing: null }
            : {}),
        });
        break;
      }
      case 'eval': {
        const evals = [...st().results.training.evals, e.log].slice(-MAX_EVALS);
        setResults({ training: { ...st().results.training, evals } });
        // The run's model is trained in place, so analysing its id now shows this step.
        const model = st().results.training.model;
        if (model) analyzeEvaluation(model.id, `step ${e.log.step}`);
        break;
      }
      case 'state': {
        // A stop asked for goes on showing as 'stopping' until the run ends.
        if (st().run.training.state === 'stopping' && e.state === 'running') break;
        setTraining({ state: e.state, step: e.step, preparing: null });
        break;
      }
      case 'checkpoint':
        // The run's model is listed from now on: A/B can pick it while it trains. Its revision
        // (sent at start, pause and end) goes into the list at once: views of it key on that.
        setResults({
          training: { ...st().results.training, model: e.model },
          models: withModel(st().results.models, e.model),
        });
        void refreshModels();
        break;
      case 'snapshot':
        lastSnapshot = e.snapshot;
        persistence?.onSnapshot(e.snapshot);
        break;
    }
  }

  function finished(id: number, model: ModelInfo): void {
    if (disposed || id !== run) return;
    const { setTraining, setResults, addAlert } = st();
    const state = st().run.training.state;
    setTraining({
      state: state === 'stopping' || state === 'stopped' ? 'stopped' : 'done',
    });
    setResults({
      training: { ...st().results.training, model },
      models: withModel(st().results.models, model),
    });
    held = null;
    analyzeCheckpoint(model.id, 'final');
    void refreshModels().then(() =>
      addAlert(
        'notice',
        `Fine-tuned model "${model.title}" is ready: pick it as A or B to compare it.`,
      ),
    );
  }

  function control(name: string, call: () => Promise<void>, after: TrainingState) {
    call().then(
      () => {
        if (!disposed && isTrainingActive(st().run.training.state))
          st().setTraining({ state: after });
      },
      (e) => st().addAlert('error', `Could not ${name} the training run: ${errorMessage(e)}`),
    );
  }

  /**
   * Starts (or resumes, from `step` with its saved evaluations and curve) a run. The progress
   * shows 'starting' at once; the options (a run number handed out across tabs) may come later.
   */
  function launch(
    req: TrainRequest,
    step: number,
    evals: EvalLog[],
    curve: StreamPoint[],
    options: Promise<StartTrainingOptions>,
  ): void {
    const s = st();
    const id = ++run;
    lastSnapshot = null;
    held = null;
    const abort = new AbortController();
    abortRun = abort;
    feed.reset();
    feed.push(curve);
    s.setResults({ training: { evals, model: null } });
    s.setAnalysis('training', null);
    s.setTraining({
      state: 'starting',
      step,
      steps: req.steps,
      stepsPerSecond: null,
      baseModelId: req.baseModelId,
      loss: req.loss,
      preparing: null,
    });
    let started: StartTrainingOptions = {};
    options
      .then((o) => {
        if (disposed || id !== run) throw new Error('superseded');
        lastSnapshot = o.resumeFrom ?? null;
        started = o;
        return callAsTask(
          abort.signal,
          (task) => engine.abortTask(task),
          (task) => engine.startTraining(req, (e) => onEvent(id, e), { ...o, task }),
        );
      })
      .then(
        (model) => finished(id, model),
        (e) => {
          if (disposed || id !== run) return;
          if (isTaskAborted(e)) {
            // Stopped before its first step: nothing was reached, nothing is kept.
            st().setTraining({ state: 'stopped', preparing: null });
            return;
          }
          if (isDeviceLostError(e)) {
            continueAfterLoss(req, started);
            return;
          }
          st().setTraining({ state: 'failed' });
          st().addAlert('error', `Fine-tuning ${req.baseModelId} failed: ${errorMessage(e)}`);
        },
      );
  }

  /**
   * The engine lost its device under the run: go on from the last snapshot on the new backend.
   * `started` is what the run was started with: a restart keeps its number and this tab's claim.
   */
  function continueAfterLoss(req: TrainRequest, started: StartTrainingOptions): void {
    const snapshot = lastSnapshot;
    if (!snapshot) {
      // No snapshot: the run was no resume either, so `started` holds no resumeFrom.
      const fresh = Promise.resolve(started);
      st().addAlert(
        'notice',
        `The fine-tune of ${req.baseModelId} had no snapshot yet: it restarts from step 0 on the new backend.`,
      );
      launch(req, 0, [], [], fresh);
      return;
    }
    const { step } = snapshot;
    const evals = st().results.training.evals.filter((e) => e.step <= step);
    const curve = feed.points().filter((p) => p.x <= step);
    st().addAlert(
      'notice',
      `The fine-tune ${snapshot.model.id} resumes from its snapshot at step ${step} on the new backend.`,
    );
    // The same run goes on under its own id, as a resume after a reload does.
    launch(snapshot.request, step, evals, curve, Promise.resolve({ resumeFrom: snapshot }));
  }

  return {
    start() {
      const s = st();
      if (isTrainingActive(s.run.training.state)) return;
      if (!s.config.modelId || !s.config.dataset) {
        s.addAlert('error', 'Pick a model before fine-tuning it.');
        return;
      }
      const refusal = fineTuneCostOf(s, s.config.modelId)?.refusal;
      if (refusal) {
        s.addAlert(
          'error',
          `Fine-tune of ${modelTitle(s.results.models, s.config.modelId)} not started: it ${refusal}`,
        );
        return;
      }
      const options = persistence?.startOptions() ?? Promise.resolve({});
      launch(trainRequest(s.config), 0, [], [], options);
    },
    resumeFrom(snapshot, saved) {
      if (isTrainingActive(st().run.training.state)) return;
      const options = Promise.resolve({ resumeFrom: snapshot });
      launch(snapshot.request, snapshot.step, saved.evals, saved.curve, options);
    },
    pause: () => control('pause', () => engine.pauseTraining(), 'paused'),
    resume: () => control('resume', () => engine.resumeTraining(), 'running'),
    stop() {
      const state = st().run.training.state;
      // Still preparing: the run is dropped through its task (the engine ends it before a step).
      if (state === 'starting') abortRun?.abort();
      if (isTrainingActive(state)) {
        st().setTraining({ state: 'stopping' });
        // The worker then ends the step in flight alone: an evaluation's analysis would share it.
        held = null;
        checkpoints.cancel();
      }
      // The run ends (and the state becomes 'stopped') when startTraining resolves.
      control('stop', () => engine.stopTraining(), 'stopping');
    },
    dispose() {
      disposed = true;
      unsubscribe();
    },
  };
}
