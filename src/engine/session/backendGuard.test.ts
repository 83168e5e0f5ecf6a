import { describe, expect, it } from 'vitest';
import { DEVICE_LOST_ERROR } from '../deviceLoss';
import { createBackendGuard } from './backendGuard';

function setup(settleMs = 50) {
  const log: string[] = [];
  let onGpu = true;
  const guard = createBackendGuard(
    {
      interrupt: () => log.push('interrupt'),
      onGpu: () => onGpu,
      async recover(message) {
        log.push(`recover: ${message}`);
        await new Promise((r) => setTimeout(r, 5));
        onGpu = false;
      },
    },
    settleMs,
    20,
  );
  return { guard, log };
}

const held = () => {
  let resolve!: (v: string) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<string>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
};

describe('backend guard', () => {
  it('rejects a call in flight at once, waits for its work, then recovers; later calls wait', async () => {
    const { guard, log } = setup(1000);
    const work = held();
    const call = guard.run(() => work.promise);
    const outcome = call.then(
      () => 'resolved',
      (e: Error) => e.name,
    );
    const switched = guard.lose('device destroyed');
    expect(await outcome).toBe(DEVICE_LOST_ERROR);
    expect(guard.switching()).toBe(true);
    const after = guard.run(async () => {
      log.push('next call');
      return 1;
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(log).toEqual(['interrupt']); // recovery waits for the interrupted work to stop
    work.reject(new Error('read-back failed'));
    await switched;
    expect(await after).toBe(1);
    expect(log).toEqual(['interrupt', 'recover: device destroyed', 'next call']);
  });

  it('treats a second report of the same loss as one switch', async () => {
    const { guard, log } = setup();
    await Promise.all([guard.lose('lost'), guard.lose('lost again')]);
    expect(log.filter((l) => l.startsWith('recover'))).toEqual(['recover: lost']);
  });

  it("switches when a call fails with the browser's device-lost message", async () => {
    const { guard, log } = setup();
    const failing = guard.run(() =>
      Promise.reject(
        new Error(
          "Failed to execute 'mapAsync' on 'GPUBuffer': Buffer was unmapped before mapping was resolved.",
        ),
      ),
    );
    await expect(failing).rejects.toMatchObject({ name: DEVICE_LOST_ERROR });
    await guard.run(async () => undefined); // waits for the switch
    expect(log[1]).toMatch(/^recover: .*unmapped before mapping/);
  });

  it('passes other errors through unchanged, without a switch', async () => {
    const { guard, log } = setup();
    await expect(guard.run(() => Promise.reject(new Error('bad input')))).rejects.toThrow(
      'bad input',
    );
    expect(log).toEqual([]);
  });

  it('refuses every later call with the reason when the switch itself fails', async () => {
    const calls: string[] = [];
    const guard = createBackendGuard(
      {
        interrupt: () => undefined,
        onGpu: () => true,
        recover: () => Promise.reject(new Error('no other backend could start')),
      },
      10,
      10,
    );
    await expect(guard.lose('device destroyed')).rejects.toThrow('no other backend could start');
    expect(guard.switching()).toBe(false);
    expect(guard.failure()?.message).toBe('no other backend could start');
    const later = guard.run(async () => calls.push('ran on the lost backend'));
    await expect(later).rejects.toThrow('no other backend could start');
    expect(calls).toEqual([]);
    // A further loss report changes nothing: there is no backend left to lose.
    await expect(guard.lose('again')).rejects.toThrow('no other backend could start');
  });
});
