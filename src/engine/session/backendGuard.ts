import { DeviceLostError, isDeviceLostError } from '../deviceLoss';

/** How long a switch waits for interrupted work to notice the loss before going on without it. */
export const SETTLE_TIMEOUT_MS = 3_000;

/**
 * How long a failed call waits to hear whether the device was lost: a read-back fails ("Buffer
 * was unmapped before mapping was resolved") before the device's `lost` promise resolves.
 */
export const LOSS_GRACE_MS = 500;

export interface BackendGuard {
  /**
   * Runs one engine call on the current backend. A call made while the engine switches backends
   * waits for the switch; a call in flight when the device is lost rejects with DeviceLostError at
   * once (asking again runs on the next backend), and so does one that fails with a device-lost
   * error of the browser's, which also starts the switch.
   */
  run<T>(call: () => Promise<T>): Promise<T>;
  /**
   * The device is lost: rejects the calls in flight, waits for their work to stop (at most
   * `settleMs`), then `recover` moves the engine to the next backend. A loss reported while a
   * switch is under way is the same loss. Resolves when the switch is done; rejects when
   * `recover` failed, and from then on every call is refused with that error (see `failure`).
   */
  lose(message: string): Promise<void>;
  /** Whether a switch is under way. */
  switching(): boolean;
  /** Why the engine cannot compute any more (a switch that failed), or null. */
  failure(): Error | null;
}

interface Generation {
  lost: Promise<never>;
  reject(error: Error): void;
}

function generation(): Generation {
  let reject: (error: Error) => void = () => undefined;
  const lost = new Promise<never>((_, r) => (reject = r));
  lost.catch(() => undefined); // only the calls racing it report the rejection
  return { lost, reject };
}

/** Keeps engine calls and backend switches apart (the switch itself is `recover`). */
export function createBackendGuard(
  handlers: {
    /** Stops long work (a fine-tune) so that it notices the loss soon. */
    interrupt(): void;
    /** Whether the engine computes on a GPU device now (one that can be lost). */
    onGpu(): boolean;
    /** Moves the engine to the next backend once the work in flight has stopped. */
    recover(message: string): Promise<void>;
  },
  settleMs = SETTLE_TIMEOUT_MS,
  graceMs = LOSS_GRACE_MS,
): BackendGuard {
  let current = generation();
  let gate: Promise<void> | null = null;
  let failed: Error | null = null;
  const inFlight = new Set<Promise<unknown>>();

  async function settle(): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, settleMs)));
    await Promise.race([Promise.allSettled([...inFlight]), timeout]);
    clearTimeout(timer);
  }

  function lose(message: string): Promise<void> {
    if (gate) return gate;
    if (failed) return Promise.reject(failed);
    const lost = current;
    lost.reject(new DeviceLostError(`the GPU device was lost (${message}); ask again`));
    gate = (async () => {
      try {
        handlers.interrupt();
        await settle();
        await handlers.recover(message);
      } catch (e) {
        // No backend to go on with: the lost one is gone, so every later call is refused.
        failed = e instanceof Error ? e : new Error(String(e));
        throw failed;
      } finally {
        current = generation();
        gate = null;
      }
    })();
    return gate;
  }

  async function run<T>(call: () => Promise<T>): Promise<T> {
    while (gate) await gate.catch(() => undefined);
    if (failed) throw failed;
    const mine = current;
    let work: Promise<T>;
    try {
      work = call();
    } catch (e) {
      work = Promise.reject(e);
    }
    const tracked = work.then(
      () => undefined,
      () => undefined,
    );
    inFlight.add(tracked);
    void tracked.then(() => inFlight.delete(tracked));
    try {
      return await Promise.race([work, mine.lost]);
    } catch (e) {
      if (e instanceof DeviceLostError || mine !== current) throw e;
      if (!isDeviceLostError(e) && handlers.onGpu()) {
        // Was it the device? Its loss is reported a moment after the failure it caused.
        let timer: ReturnType<typeof setTimeout> | undefined;
        const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
        await Promise.race([mine.lost, grace]).finally(() => clearTimeout(timer));
      }
      if (!isDeviceLostError(e)) throw e;
      const message = e instanceof Error ? e.message : String(e);
      void lose(message).catch(() => undefined);
      throw new DeviceLostError(`the GPU device was lost (${message}); ask again`);
    }
  }

  return { run, lose, switching: () => gate !== null, failure: () => failed };
}
