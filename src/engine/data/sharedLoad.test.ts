import { describe, expect, it } from 'vitest';
import { isTaskAborted } from '../tasks';
import { SharedLoads } from './sharedLoad';

/** A load that resolves when told to, and records whether its own signal was aborted. */
function heldLoad() {
  const seen: AbortSignal[] = [];
  let finish: (v: string) => void = () => undefined;
  const start = (signal: AbortSignal) => {
    seen.push(signal);
    return new Promise<string>((resolve, reject) => {
      finish = resolve;
      signal.addEventListener('abort', () => reject(new Error('load stopped')));
    });
  };
  return { start, seen, finish: (v: string) => finish(v) };
}

const settled = (p: Promise<unknown>) =>
  p.then(
    (v) => v,
    (e: unknown) => e,
  );

describe('SharedLoads', () => {
  it('aborts the load when its only waiter aborts, and forgets it', async () => {
    const loads = new SharedLoads<string>((k) => `loading ${k}`);
    const load = heldLoad();
    const c = new AbortController();
    const p = settled(loads.get('mnist', load.start, c.signal));
    c.abort();
    const e = await p;
    expect(isTaskAborted(e)).toBe(true);
    expect(String(e)).toContain('loading mnist');
    expect(load.seen[0].aborted).toBe(true);
    expect(loads.size()).toBe(0);
    // The next caller starts a new load.
    void loads.get('mnist', load.start);
    expect(load.seen).toHaveLength(2);
  });

  it('keeps the load for a caller still waiting, whose wait ends with the value', async () => {
    const loads = new SharedLoads<string>((k) => `loading ${k}`);
    const load = heldLoad();
    const left = new AbortController();
    const first = settled(loads.get('mnist', load.start, left.signal));
    const second = loads.get('mnist', load.start, new AbortController().signal);
    left.abort();
    expect(isTaskAborted(await first)).toBe(true);
    expect(load.seen[0].aborted).toBe(false);
    load.finish('data');
    expect(await second).toBe('data');
    expect(load.seen).toHaveLength(1);
  });

  it('never aborts a load that a caller without a signal waits for', async () => {
    const loads = new SharedLoads<string>((k) => `loading ${k}`);
    const load = heldLoad();
    const c = new AbortController();
    const withSignal = settled(loads.get('imdb', load.start, c.signal));
    const held = loads.get('imdb', load.start);
    c.abort();
    expect(isTaskAborted(await withSignal)).toBe(true);
    expect(load.seen[0].aborted).toBe(false);
    load.finish('texts');
    expect(await held).toBe('texts');
    // A finished load is kept: a later abort has nothing to stop.
    const later = new AbortController();
    const again = loads.get('imdb', load.start, later.signal);
    expect(await again).toBe('texts');
    expect(loads.size()).toBe(1);
  });

  it('rejects at once a caller whose signal is already aborted', async () => {
    const loads = new SharedLoads<string>((k) => `loading ${k}`);
    const load = heldLoad();
    const c = new AbortController();
    c.abort();
    expect(isTaskAborted(await settled(loads.get('mnist', load.start, c.signal)))).toBe(true);
    expect(load.seen).toHaveLength(0);
  });
});
