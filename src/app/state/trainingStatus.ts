// The fine-tune's status line: what it is doing, where it is, and (only while running) how long
// the rest will take. Before its first step is done a run says what it prepares.
import type { TrainPhase } from '../../engine/apiTypes';
import { etaSeconds, type TrainingRun } from './run';

/** What each preparing phase is doing, in words. */
export const PREPARING_TEXT: Record<TrainPhase, string> = {
  dataset: 'loading the dataset',
  model: 'copying the model and building the optimizer',
  'first-step': 'compiling kernels and taking the first step',
};

/** "12 s", "3 min 5 s". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${s % 60} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/**
 * "Preparing… loading the dataset" (of a resumed run: "· step 25 / 80"), "running · step 6 / 200 · 4.00 steps/s · ETA 49 s",
 * "paused · step 20 / 200" (no ETA: nothing runs while paused).
 */
export function trainingStatusText(t: TrainingRun): string {
  if (t.state === 'idle') return 'Not started.';
  if (t.state === 'starting') {
    const what = t.preparing ? PREPARING_TEXT[t.preparing] : 'starting the run';
    // A resumed run says where it resumes.
    return `Preparing… ${what}${t.step > 0 ? ` · step ${t.step} / ${t.steps}` : ''}`;
  }
  const parts = [`${t.state}`, `step ${t.step} / ${t.steps}`];
  if (t.state === 'running' && t.stepsPerSecond !== null)
    parts.push(`${t.stepsPerSecond.toFixed(2)} steps/s`);
  const eta = etaSeconds(t);
  if (eta !== null) parts.push(`ETA ${formatDuration(eta)}`);
  return parts.join(' · ');
}
