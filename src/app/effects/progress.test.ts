import { describe, expect, it } from 'vitest';
import { createStrataStore } from '../store';
import { progressTo } from './progress';

describe('progressTo', () => {
  it('updates a busy channel and drops events that come after the task ended', () => {
    const store = createStrataStore();
    const report = progressTo(store, 'main');
    report({ phase: 'early', done: 0, total: 2 });
    expect(store.getState().run.tasks.main).toBeUndefined();
    store.getState().setTask('main', null);
    report({ phase: 'computing', done: 1, total: 2 });
    expect(store.getState().run.tasks.main).toEqual({ phase: 'computing', done: 1, total: 2 });
    store.getState().setTask('main', undefined);
    report({ phase: 'computing', done: 2, total: 2 });
    expect('main' in store.getState().run.tasks).toBe(false);
  });
});
