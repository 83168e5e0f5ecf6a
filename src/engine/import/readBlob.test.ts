import { describe, expect, it } from 'vitest';
import { formatBytes } from '../io/formatBytes';
import { readBlobBytes } from './readBlob';
import { createTaskRegistry } from '../tasks';
import { ReadCancelledError } from './readCancel';

describe('readBlobBytes', () => {
  it('reads every byte, reporting progress at most once per percent and at the end', async () => {
    const bytes = Uint8Array.from({ length: 300_000 }, (_, i) => i % 251);
    const parts = Array.from({ length: 300 }, (_, k) => bytes.subarray(k * 1000, (k + 1) * 1000));
    const events: number[] = [];
    const out = await readBlobBytes(new Blob(parts), 'x.npz', {
      onProgress: (done, total) => {
        expect(total).toBe(bytes.length);
        events.push(done);
      },
    });
    expect(Buffer.compare(out, bytes)).toBe(0);
    expect(events.at(-1)).toBe(bytes.length);
    expect(events.length).toBeLessThanOrEqual(101);
    expect(events).toEqual([...events].sort((a, b) => a - b));
  });

  it('names the file when it is empty or over the limit', async () => {
    await expect(readBlobBytes(new Blob([]), 'e.npy')).rejects.toThrow('e.npy: the file is empty');
    await expect(
      readBlobBytes(new Blob([new Uint8Array(2048)]), 'big.npz', { limit: 1024 }),
    ).rejects.toThrow('big.npz: the file is 2.0 kB, over the limit of 1.0 kB the page reads');
    expect(formatBytes(1.5 * 1024 ** 3)).toBe('1.50 GB');
  });

  it('stops between chunks once its read is cancelled, and names the file', async () => {
    const reads = createTaskRegistry();
    const signal = reads.begin('r1');
    const blob = new Blob(Array.from({ length: 200 }, () => new Uint8Array(64 * 1024)));
    const seen: number[] = [];
    const read = readBlobBytes(blob, 'big.npy', {
      signal,
      onProgress: (done) => {
        seen.push(done);
        if (seen.length === 3) reads.abort('r1');
      },
    });
    // (Not `rejects`: a read that finished would print 12 MB of bytes in the failure.)
    const outcome = await read.then(
      () => 'read to the end',
      (e: Error) => e,
    );
    expect(outcome).toBeInstanceOf(ReadCancelledError);
    expect((outcome as Error).message).toBe('big.npy: reading cancelled');
    // Nothing was read after the cancel: the last progress is the one that cancelled.
    expect(seen).toHaveLength(3);
    expect(seen[2]).toBeLessThan(blob.size / 10);
  });

  it('honours a cancel that arrives before its read begins', async () => {
    const reads = createTaskRegistry();
    reads.abort('early');
    const early = readBlobBytes(new Blob([new Uint8Array(10)]), 'a.npy', {
      signal: reads.begin('early'),
    });
    expect(
      await early.then(
        () => 'read',
        (e: Error) => e.message,
      ),
    ).toBe('a.npy: reading cancelled');
    reads.end('early');
    expect(reads.begin('early')!.aborted).toBe(false);
  });
});
