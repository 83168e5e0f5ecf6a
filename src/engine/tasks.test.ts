import { describe, expect, it } from 'vitest';
import { createTaskRegistry } from './tasks';

describe('task registry', () => {
  it('a cancel after its read ended is ignored and leaves nothing behind', () => {
    const reads = createTaskRegistry();
    for (let i = 0; i < 100; i++) {
      const id = `read-${i}`;
      const signal = reads.begin(id);
      if (i % 2) reads.abort(id);
      reads.end(id);
      // The page's Cancel may come after the read is over (ids are never reused).
      reads.abort(id);
      expect(signal?.aborted).toBe(i % 2 === 1);
    }
    expect(reads.held()).toBe(0);
  });

  it('a cancel that overtakes its read stops it when it begins, and goes when it ends', () => {
    const reads = createTaskRegistry();
    reads.abort('early');
    expect(reads.held()).toBe(1);
    expect(reads.begin('early')?.aborted).toBe(true);
    expect(reads.begin('other')?.aborted).toBe(false);
    reads.end('early');
    reads.end('other');
    expect(reads.held()).toBe(0);
  });

  it('cancels of reads that never begin are kept only up to a bound', () => {
    const reads = createTaskRegistry();
    for (let i = 0; i < 10_000; i++) reads.abort(`never-${i}`);
    expect(reads.held()).toBeLessThanOrEqual(64);
    // The newest is still honoured.
    expect(reads.begin('never-9999')?.aborted).toBe(true);
  });
});
