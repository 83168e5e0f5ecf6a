import { beforeEach, describe, expect, it } from 'vitest';
import { create } from 'zustand';
import { resetStrata, useStrata } from '../store';
import { abortSlot, progressInto, releaseSlot, runInSlot, type LmTaskRunning } from './lmTaskSlot';

interface TwoSlots {
  running: (LmTaskRunning & { query: string }) | null;
  generating: LmTaskRunning | null;
}

const PHASES = { load: 'reading weights', lens: 'batches' };

function store(controller: AbortController) {
  return create<TwoSlots>()(() => ({
    running: { label: 'Lens of tiny', done: 0, total: 0, controller, query: 'tiny on reviews' },
    generating: null,
  }));
}

describe('progressInto', () => {
  it('writes each report into its slot in words, keeping the slot’s other fields', () => {
    const controller = new AbortController();
    const s = store(controller);
    const report = progressInto(s, 'running', controller, 'Lens of tiny and big', PHASES, 'big ');
    report({ phase: 'load', done: 3, total: 10 });
    expect(s.getState().running).toEqual({
      label: 'Lens of tiny and big: big reading weights',
      done: 3,
      total: 10,
      controller,
      query: 'tiny on reviews',
    });
    // A phase without words is shown as the engine names it; no step, no prefix.
    progressInto(
      s,
      'running',
      controller,
      'Lens of tiny',
      PHASES,
    )({
      phase: 'tokens',
      done: 1,
      total: 2,
    });
    expect(s.getState().running).toMatchObject({ label: 'Lens of tiny: tokens', done: 1 });
    expect(s.getState().generating).toBeNull();
  });

  it('reaches the slot it names, not another', () => {
    const controller = new AbortController();
    const s = store(new AbortController());
    s.setState({ generating: { label: 'Generation', done: 0, total: 0, controller } });
    progressInto(
      s,
      'generating',
      controller,
      'Generation',
      PHASES,
    )({
      phase: 'lens',
      done: 4,
      total: 8,
    });
    expect(s.getState().generating).toMatchObject({ label: 'Generation: batches', done: 4 });
    expect(s.getState().running).toMatchObject({ label: 'Lens of tiny', done: 0, total: 0 });
  });

  it('changes nothing once another task holds the slot, or none does', () => {
    const old = new AbortController();
    const s = store(old);
    const report = progressInto(s, 'running', old, 'Lens of tiny', PHASES);
    const newer = new AbortController();
    s.setState({
      running: { label: 'Lens of big', done: 1, total: 5, controller: newer, query: 'big' },
    });
    const held = s.getState().running;
    report({ phase: 'lens', done: 2, total: 5 });
    expect(s.getState().running).toEqual(held);
    expect(s.getState().running).toMatchObject({ label: 'Lens of big', done: 1 });
    s.setState({ running: null });
    report({ phase: 'lens', done: 3, total: 5 });
    expect(s.getState().running).toBeNull();
  });
});

const alerts = () => useStrata.getState().ui.alerts.map((a) => `${a.kind}: ${a.text}`);
const task = { label: 'Generation by tiny', phases: PHASES, unchanged: 'the view is unchanged' };

describe('runInSlot', () => {
  beforeEach(() => resetStrata());

  it('holds the slot while the work runs, reports its progress there, and frees it at the end', async () => {
    const s = store(new AbortController());
    const seen: (LmTaskRunning | null)[] = [];
    await runInSlot(s, 'generating', task, async (signal, progress) => {
      seen.push(s.getState().generating);
      progress('tiny ')({ phase: 'load', done: 1, total: 2 });
      seen.push(s.getState().generating);
      expect(signal).toBe(seen[0]?.controller.signal);
    });
    expect(seen.map((r) => r && [r.label, r.done, r.total])).toEqual([
      ['Generation by tiny', 0, 0],
      ['Generation by tiny: tiny reading weights', 1, 2],
    ]);
    expect(s.getState().generating).toBeNull();
    expect(alerts()).toEqual([]);
  });

  it('says a cancel changed nothing and a failure why, each freeing the slot', async () => {
    const s = store(new AbortController());
    await runInSlot(s, 'generating', task, async (signal) => {
      abortSlot(s, 'generating');
      expect(signal.aborted).toBe(true);
      throw new Error('aborted between two tokens');
    });
    expect(s.getState().generating).toBeNull();
    await runInSlot(s, 'generating', task, async () => {
      throw new Error('tiny/model.safetensors: truncated');
    });
    expect(s.getState().generating).toBeNull();
    expect(alerts()).toEqual([
      'notice: Generation by tiny cancelled; the view is unchanged.',
      'error: Generation by tiny failed: tiny/model.safetensors: truncated',
    ]);
  });

  it('leaves a newer task in the slot when an older one ends', async () => {
    const s = store(new AbortController());
    const newer: LmTaskRunning = {
      label: 'Generation by big',
      done: 0,
      total: 0,
      controller: new AbortController(),
    };
    await runInSlot(s, 'generating', task, async () => {
      s.setState({ generating: newer });
    });
    expect(s.getState().generating).toBe(newer);
    const older = new AbortController();
    releaseSlot(s, 'generating', older);
    expect(s.getState().generating).toBe(newer);
    releaseSlot(s, 'generating', newer.controller);
    expect(s.getState().generating).toBeNull();
  });
});
