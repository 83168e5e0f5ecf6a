import { describe, expect, it } from 'vitest';
import { createLatestRunner } from './latestRunner';

interface Deferred<T> {
  promise: Promise<T>;
  resolve(v: T): void;
  reject(e: unknown): void;
}
function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}
const flush = () => new Promise((r) => setTimeout(r, 0));

function setup() {
  const calls: { query: string; d: Deferred<string>; signal: AbortSignal }[] = [];
  const results: string[] = [];
  const errors: string[] = [];
  const busy: boolean[] = [];
  const runner = createLatestRunner<string, string>({
    run(query, signal) {
      const d = deferred<string>();
      calls.push({ query, d, signal });
      return d.promise;
    },
    onResult: (r) => results.push(r),
    onError: (e) => errors.push(String(e)),
    onBusy: (b) => busy.push(b),
  });
  return { runner, calls, results, errors, busy };
}

describe('createLatestRunner', () => {
  it('delivers the result of a lone request', async () => {
    const { runner, calls, results, busy } = setup();
    runner.request('a', 'a');
    calls[0].d.resolve('A');
    await flush();
    expect(results).toEqual(['A']);
    expect(busy).toEqual([true, false]);
    expect(runner.busy()).toBe(false);
  });

  it('drops a result that a newer request superseded, and runs only the newest waiting one', async () => {
    const { runner, calls, results } = setup();
    runner.request('a', 'a');
    runner.request('b', 'b'); // waits
    runner.request('c', 'c'); // replaces b
    expect(runner.superseded()).toBe(true);
    calls[0].d.resolve('A');
    await flush();
    expect(results).toEqual([]); // stale A never delivered
    expect(calls.map((c) => c.query)).toEqual(['a', 'c']); // b never ran
    calls[1].d.resolve('C');
    await flush();
    expect(results).toEqual(['C']);
  });

  it('aborts the request in flight when a newer one replaces it, and drops its abort error', async () => {
    const { runner, calls, results, errors } = setup();
    runner.request('a', 'a');
    expect(calls[0].signal.aborted).toBe(false);
    runner.request('b', 'b');
    expect(calls[0].signal.aborted).toBe(true);
    expect(calls).toHaveLength(1); // b starts once a has stopped
    calls[0].d.reject(Object.assign(new Error('a: stopped'), { name: 'TaskAbortedError' }));
    await flush();
    expect(calls.map((c) => c.query)).toEqual(['a', 'b']);
    expect(calls[1].signal.aborted).toBe(false);
    calls[1].d.resolve('B');
    await flush();
    expect(errors).toEqual([]);
    expect(results).toEqual(['B']);
  });

  it('aborts the request in flight on cancel and on dispose', async () => {
    const { runner, calls, errors } = setup();
    runner.request('a', 'a');
    runner.cancel();
    expect(calls[0].signal.aborted).toBe(true);
    calls[0].d.reject(new Error('a: stopped'));
    runner.request('b', 'b');
    runner.dispose();
    expect(calls[1].signal.aborted).toBe(true);
    await flush();
    expect(errors).toEqual([]);
  });

  it('runs an aborted key again when it is asked for after it stopped', async () => {
    const { runner, calls, results } = setup();
    runner.request('a', 'a');
    runner.request('b', 'b'); // aborts a
    runner.request('a', 'a'); // a again: the aborted call cannot answer it
    calls[0].d.reject(new Error('a: stopped'));
    await flush();
    expect(calls.map((c) => c.query)).toEqual(['a', 'a']);
    calls[1].d.resolve('A2');
    await flush();
    expect(results).toEqual(['A2']);
  });

  it('ignores a request for the key in flight, and cancels a waiting one when asked again', async () => {
    const { runner, calls, results } = setup();
    runner.request('a', 'a');
    runner.request('a', 'a');
    runner.request('b', 'b');
    runner.request('a', 'a'); // back to what is in flight: b is no longer wanted
    calls[0].d.resolve('A');
    await flush();
    expect(calls).toHaveLength(1);
    expect(results).toEqual(['A']);
  });

  it('reports errors of the newest request only, and keeps working after one', async () => {
    const { runner, calls, results, errors } = setup();
    runner.request('a', 'a');
    runner.request('b', 'b');
    calls[0].d.reject(new Error('old failure'));
    await flush();
    expect(errors).toEqual([]);
    calls[1].d.reject(new Error('new failure'));
    await flush();
    expect(errors).toEqual(['Error: new failure']);
    runner.request('c', 'c');
    calls[2].d.resolve('C');
    await flush();
    expect(results).toEqual(['C']);
  });

  it('turns a throwing onResult into an error report, not an unhandled rejection', async () => {
    const errors: unknown[] = [];
    const runner = createLatestRunner<string, string>({
      run: async (q) => q,
      onResult() {
        throw new Error('handler broke');
      },
      onError: (e) => errors.push(e),
    });
    runner.request('a', 'a');
    await flush();
    expect(String(errors[0])).toContain('handler broke');
  });

  it('delivers nothing after cancel or dispose', async () => {
    const { runner, calls, results } = setup();
    runner.request('a', 'a');
    runner.cancel();
    calls[0].d.resolve('A');
    await flush();
    runner.request('b', 'b');
    runner.dispose();
    calls[1].d.resolve('B');
    runner.request('c', 'c');
    await flush();
    expect(results).toEqual([]);
    expect(calls).toHaveLength(2);
  });
});
