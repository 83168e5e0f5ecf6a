/**
 * Sends heavy engine calls one at a time, most urgent first (the picture the user is looking at
 * before the ones below it). A job that has gone stale by its turn is skipped, so superseded
 * requests never reach the worker. Light calls (exit readouts, training controls) bypass it.
 */
export interface EngineQueue {
  /** Runs `job` when no other queued job runs and none more urgent waits (lower = sooner). */
  run<T>(priority: number, job: () => Promise<T>, isStale?: () => boolean): Promise<T>;
  /** Jobs waiting (not counting the running one). */
  size(): number;
}

/** Rejection of a job skipped because it went stale while it waited. */
export class StaleRequestError extends Error {
  constructor() {
    super('request superseded before it ran');
    this.name = 'StaleRequestError';
  }
}

interface Entry {
  priority: number;
  order: number;
  start: () => void;
}

export function createEngineQueue(): EngineQueue {
  const waiting: Entry[] = [];
  let running = false;
  let order = 0;

  function next(): void {
    if (running || waiting.length === 0) return;
    waiting.sort((x, y) => x.priority - y.priority || x.order - y.order);
    running = true;
    waiting.shift()!.start();
  }

  return {
    run<T>(priority: number, job: () => Promise<T>, isStale?: () => boolean): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        waiting.push({
          priority,
          order: order++,
          start() {
            const done = () => {
              running = false;
              next();
            };
            if (isStale?.()) {
              reject(new StaleRequestError());
              done();
              return;
            }
            let p: Promise<T>;
            try {
              p = job();
            } catch (e) {
              p = Promise.reject(e);
            }
            p.then(resolve, reject).finally(done);
          },
        });
        next();
      });
    },
    size: () => waiting.length,
  };
}
