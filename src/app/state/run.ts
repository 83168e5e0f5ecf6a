// The run slice: what the engine is doing now (backend, tasks in flight, the training run).
import type { BackendInfo, LossKind, TrainPhase } from '../../engine/apiTypes';

export type EngineStatus = 'starting' | 'ready' | 'failed';

/** Streams of engine work; each shows its own progress and keeps only its newest request. */
export type Channel =
  | 'catalog'
  | 'dataset'
  | 'main'
  | 'a'
  | 'b'
  | 'across'
  | 'exits'
  | 'readout'
  | 'training'
  | 'agreement';

export interface TaskProgress {
  /** What the engine says it is doing, e.g. "capture". */
  phase: string;
  done: number;
  total: number;
  /** An analysis's forward passes: batches done of all (effects/analysisProgress.ts). */
  batches?: { done: number; total: number };
  /** Seconds left at the measured rate; null until measured. */
  etaSeconds?: number | null;
}

export type TrainingState =
  'idle' | 'starting' | 'running' | 'paused' | 'stopping' | 'stopped' | 'done' | 'failed';

export interface TrainingRun {
  state: TrainingState;
  step: number;
  steps: number;
  stepsPerSecond: number | null;
  baseModelId: string | null;
  loss: LossKind | null;
  /** While 'starting': what the engine said it prepares (null before it said). */
  preparing: TrainPhase | null;
}

export interface RunSlice {
  status: EngineStatus;
  backendInfo: BackendInfo | null;
  error: string | null;
  /** Channels with a request in flight, and its last progress event (null before the first). */
  tasks: Partial<Record<Channel, TaskProgress | null>>;
  training: TrainingRun;
}

export const IDLE_TRAINING: TrainingRun = {
  state: 'idle',
  step: 0,
  steps: 0,
  stepsPerSecond: null,
  baseModelId: null,
  loss: null,
  preparing: null,
};

export const INITIAL_RUN: RunSlice = {
  status: 'starting',
  backendInfo: null,
  error: null,
  tasks: {},
  training: IDLE_TRAINING,
};

/** Whether a run is under way (a new one cannot start, the base model cannot change). */
export function isTrainingActive(state: TrainingState): boolean {
  return state === 'starting' || state === 'running' || state === 'paused' || state === 'stopping';
}

/** Seconds left at the current speed; null before the first log and unless it is running. */
export function etaSeconds(t: TrainingRun): number | null {
  if (t.stepsPerSecond === null || t.state !== 'running') return null;
  return Math.max(0, t.steps - t.step) / t.stepsPerSecond;
}
