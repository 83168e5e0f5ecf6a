// Points of the live training curves, outside React and outside the store: the training handler
// pushes them, the curve chart appends them directly (no React render per point), and a chart
// mounted later replays what came before.
import type { StreamPoint } from '../../charts/streamingChart';

export type FeedEvent = { type: 'append'; points: StreamPoint[] } | { type: 'reset' };

export interface StreamFeed {
  push(points: StreamPoint[]): void;
  reset(): void;
  /** Every point pushed since the last reset, in order. */
  points(): StreamPoint[];
  subscribe(listener: (e: FeedEvent) => void): () => void;
}

/** Points kept for replay; the chart thins them for drawing anyway. */
const MAX_POINTS = 50_000;

export function createStreamFeed(): StreamFeed {
  let all: StreamPoint[] = [];
  const listeners = new Set<(e: FeedEvent) => void>();
  const emit = (e: FeedEvent) => listeners.forEach((l) => l(e));
  return {
    push(points) {
      if (points.length === 0) return;
      all.push(...points);
      if (all.length > MAX_POINTS) all = all.filter((_, i) => i % 2 === 0);
      emit({ type: 'append', points });
    },
    reset() {
      all = [];
      emit({ type: 'reset' });
    },
    points: () => all.slice(),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The page's training-loss feed. */
export const trainingFeed = createStreamFeed();
