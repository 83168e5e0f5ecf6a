import { describe, expect, it } from 'vitest';
import { createEngineQueue, StaleRequestError } from './engineQueue';

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('createEngineQueue', () => {
  it('runs one job at a time, the most urgent waiting job next', async () => {
    const queue = createEngineQueue();
    const log: string[] = [];
    let release!: () => void;
    const first = queue.run(5, () => {
      log.push('start first');
      return new Promise<void>((r) => (release = r));
    });
    const late = queue.run(3, async () => void log.push('priority 3'));
    const urgent = queue.run(1, async () => void log.push('priority 1'));
    const urgentToo = queue.run(1, async () => void log.push('priority 1 again'));
    await flush();
    expect(log).toEqual(['start first']);
    expect(queue.size()).toBe(3);
    release();
    await Promise.all([first, late, urgent, urgentToo]);
    expect(log).toEqual(['start first', 'priority 1', 'priority 1 again', 'priority 3']);
  });

  it('skips a job that went stale while it waited, and goes on with the rest', async () => {
    const queue = createEngineQueue();
    let stale = false;
    let release!: () => void;
    const blocker = queue.run(0, () => new Promise<void>((r) => (release = r)));
    let ran = false;
    const skipped = queue.run(
      1,
      async () => void (ran = true),
      () => stale,
    );
    const after = queue.run(2, async () => 'after');
    stale = true;
    release();
    await blocker;
    await expect(skipped).rejects.toBeInstanceOf(StaleRequestError);
    expect(ran).toBe(false);
    await expect(after).resolves.toBe('after');
  });

  it('passes a job’s rejection (or synchronous throw) to its caller and keeps going', async () => {
    const queue = createEngineQueue();
    const failing = queue.run(0, async () => {
      throw new Error('engine said no');
    });
    const throwing = queue.run(0, () => {
      throw new Error('threw at once');
    });
    const ok = queue.run(0, async () => 7);
    await expect(failing).rejects.toThrow('engine said no');
    await expect(throwing).rejects.toThrow('threw at once');
    await expect(ok).resolves.toBe(7);
  });
});
