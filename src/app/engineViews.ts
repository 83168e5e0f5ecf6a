// The engine as the app calls it, and the part of it each consumer uses. Types only: TensorFlow.js
// stays out of the page's bundle, and every consumer (and its fakes in tests) depends on this leaf.
import type { EngineApi } from '../engine/api';
import type { AnalysisRequest, CrossAnalysisQuery } from '../engine/apiTypes';

/**
 * Every engine method, called as EngineApi declares it (callbacks are plain functions), except that
 * the calls the page stops take an AbortSignal where the engine takes a task id (wrapEngine turns
 * one into the other). On the page it is the worker wrapped by wrapEngine; in tests, a fake of
 * the view under test.
 */
export type Engine = Omit<
  EngineApi,
  | 'loadDataset'
  | 'analyze'
  | 'analyzeAcross'
  | 'exitTradeoff'
  | 'lens'
  | 'decoderSimilarity'
  | 'lmExits'
  | 'generate'
> & {
  loadDataset(
    name: string,
    onProgress?: Parameters<EngineApi['loadDataset']>[1],
    signal?: AbortSignal,
  ): ReturnType<EngineApi['loadDataset']>;
  analyze(
    // The page always sends a whole request (the engine also takes one with defaults left out).
    request: AnalysisRequest,
    onProgress?: Parameters<EngineApi['analyze']>[1],
    signal?: AbortSignal,
  ): ReturnType<EngineApi['analyze']>;
  analyzeAcross(
    request: CrossAnalysisQuery,
    onProgress?: Parameters<EngineApi['analyzeAcross']>[1],
    signal?: AbortSignal,
  ): ReturnType<EngineApi['analyzeAcross']>;
  exitTradeoff(
    request: Parameters<EngineApi['exitTradeoff']>[0],
    onProgress?: Parameters<EngineApi['exitTradeoff']>[1],
    signal?: AbortSignal,
  ): ReturnType<EngineApi['exitTradeoff']>;
  lens(
    request: Parameters<EngineApi['lens']>[0],
    onProgress?: Parameters<EngineApi['lens']>[1],
    signal?: AbortSignal,
  ): ReturnType<EngineApi['lens']>;
  decoderSimilarity(
    request: Parameters<EngineApi['decoderSimilarity']>[0],
    onProgress?: Parameters<EngineApi['decoderSimilarity']>[1],
    signal?: AbortSignal,
  ): ReturnType<EngineApi['decoderSimilarity']>;
  lmExits(
    request: Parameters<EngineApi['lmExits']>[0],
    onProgress?: Parameters<EngineApi['lmExits']>[1],
    signal?: AbortSignal,
  ): ReturnType<EngineApi['lmExits']>;
  generate(
    request: Parameters<EngineApi['generate']>[0],
    onProgress?: Parameters<EngineApi['generate']>[1],
    signal?: AbortSignal,
  ): ReturnType<EngineApi['generate']>;
};

/** What the explorer's effects, its training controls and the saved fine-tunes call. */
export type ExplorerEngine = Pick<
  Engine,
  | 'listModels'
  | 'listDatasets'
  | 'loadDataset'
  | 'analyze'
  | 'analyzeAcross'
  | 'exitTradeoff'
  | 'exitReadout'
  | 'startTraining'
  | 'registerCheckpoint'
  | 'validateCheckpoint'
  | 'pauseTraining'
  | 'resumeTraining'
  | 'stopTraining'
  | 'abortTask'
>;

/** What the model and activation imports call (and the Cancel of a read). */
export type ImportEngine = Pick<
  Engine,
  | 'importModel'
  | 'useImportedModel'
  | 'discardImportedModel'
  | 'listDatasets'
  | 'analyzeActivationFile'
  | 'cancelRead'
>;

/** What the dataset import calls. */
export type DatasetEngine = Pick<
  Engine,
  'importDataset' | 'resplitImportedDataset' | 'useImportedDataset' | 'discardImportedDataset'
>;

/** What a dropped model's review and its weights' background load call. */
export type ModelImportEngine = Omit<ImportEngine, 'importModel'> &
  Pick<Engine, 'reviewModel' | 'loadImportedWeights'>;

/** What the logit lens of a dropped language model calls. */
export type LensEngine = Pick<Engine, 'lens'>;

/** What the layer similarity of the page's language model calls. */
export type LmSimilarityEngine = Pick<Engine, 'decoderSimilarity'>;
/** What the language model's early exit and its generation call. */
export type LmExitEngine = Pick<Engine, 'lmExits' | 'generate'>;
