import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createEngine, type BackendEvent } from '../api';
import { initNodeBackend } from '../nodeBackend';
import { nodeEngineHost } from '../nodeHost';
import { tinyPublicDir } from './testing';

// No backend can start after the loss (the first start, at init, works as usual).
vi.mock('../backend', async (importOriginal) => {
  const real = await importOriginal<typeof import('../backend')>();
  return {
    ...real,
    initBackend: async (options: Parameters<typeof real.initBackend>[0]) => {
      if (options?.lost) throw new Error('wasm: the binary could not be fetched');
      return real.initBackend(options);
    },
  };
});

describe('a device loss after which no backend starts', () => {
  let dir: string;
  beforeAll(async () => {
    await initNodeBackend('cpu');
    dir = await tinyPublicDir('strata-restart-', 7);
  });

  it('tells the page once, and refuses every later call with what happened and what to do', async () => {
    const engine = createEngine(nodeEngineHost(dir));
    await engine.init({ backend: 'cpu', testHooks: true });
    const events: BackendEvent[] = [];
    await engine.watchBackend((e) => events.push(e));
    await engine.loseDeviceForTest().catch(() => undefined);

    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'restart-failed',
      lost: { backend: 'cpu', message: 'simulated loss of the cpu device' },
    });
    const message = events[0].type === 'restart-failed' ? events[0].message : '';
    expect(message).toMatch(
      /no other backend could start \(wasm: the binary could not be fetched\)/,
    );
    expect(message).toMatch(/Reload the page/);
    await expect(engine.demo(1)).rejects.toThrow(message);
    await expect(engine.loseDeviceForTest()).rejects.toThrow(message);
  });
});
