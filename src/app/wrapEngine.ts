// The one way from the app into the engine worker: every call passes through wrapEngine's `call`
// and every argument through `toWorker`, so what crosses the boundary is decided in one place.
import * as Comlink from 'comlink';
import type { EngineApi } from '../engine/api';
import { callAsTask } from './engineTasks';
import type { Engine } from './engineViews';

type Method = keyof EngineApi;
type Call = (method: Method, args: unknown[]) => Promise<unknown>;

/** Every method of EngineApi once; the compiler refuses a missing or an unknown one. */
export const ENGINE_METHODS = Object.keys({
  init: true,
  watchBackend: true,
  loseDeviceForTest: true,
  demo: true,
  numTensors: true,
  listModels: true,
  listDatasets: true,
  loadDataset: true,
  analyzeActivations: true,
  analyze: true,
  analyzeAcross: true,
  exitTradeoff: true,
  exitReadout: true,
  startTraining: true,
  registerCheckpoint: true,
  validateCheckpoint: true,
  pauseTraining: true,
  resumeTraining: true,
  stopTraining: true,
  startLmTraining: true,
  importModel: true,
  reviewModel: true,
  loadImportedWeights: true,
  useImportedModel: true,
  discardImportedModel: true,
  analyzeActivationFile: true,
  cancelRead: true,
  abortTask: true,
  memory: true,
  closeModel: true,
  hiddenStates: true,
  lens: true,
  lmExits: true,
  decoderSimilarity: true,
  generate: true,
  importDataset: true,
  resplitImportedDataset: true,
  useImportedDataset: true,
  discardImportedDataset: true,
} satisfies Record<Method, true>) as Method[];

/**
 * What an argument becomes on its way to the worker. A callback is proxied: the worker calls it
 * back across the boundary. Anything else is copied, never transferred, so the caller keeps its
 * bytes (they may be views into a larger buffer, e.g. an unzipped session).
 */
function toWorker(arg: unknown): unknown {
  return typeof arg === 'function' ? Comlink.proxy(arg) : arg;
}

/** An Engine each of whose methods hands its name and arguments to `call`. */
export function engineOf(call: Call): Engine {
  const entries = ENGINE_METHODS.map((m) => [m, (...args: unknown[]) => call(m, args)]);
  return Object.fromEntries(entries) as Engine;
}

/**
 * The engine worker as the app calls it; made once per worker. An AbortSignal argument (the app's
 * way to stop a call) cannot cross to the worker: it goes as a fresh task id, and its abort as
 * abortTask(id) (engineTasks.ts).
 */
export function wrapEngine(remote: Comlink.Remote<EngineApi>): Engine {
  const abortTask = (task: string) => remote.abortTask(task);
  return engineOf((method, args) => {
    const send = remote[method] as unknown as (...a: unknown[]) => Promise<unknown>;
    const signal = args.find((a): a is AbortSignal => a instanceof AbortSignal);
    if (!signal) return send(...args.map(toWorker));
    return callAsTask(signal, abortTask, (task) =>
      send(...args.map((a) => (a === signal ? task : toWorker(a)))),
    );
  });
}
