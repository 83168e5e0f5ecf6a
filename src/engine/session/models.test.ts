import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../nodeBackend';
import { initParams } from '../model/params';
import type { ModelInfo } from '../apiTypes';
import { ModelRegistry } from './models';
import { TINY } from './testing';

const INFO: ModelInfo = {
  id: 'user-1',
  title: 'imported',
  dataset: 'mnist',
  loss: 'standard',
  numLayers: 2,
  hiddenSize: 16,
  numClasses: 10,
  kind: 'image',
  perLayerHeads: false,
  builtin: false,
  revision: 0,
};

describe('model registry', () => {
  beforeAll(async () => {
    await initNodeBackend('cpu');
  });

  it('tries a failed reload again on next use instead of caching the failure', async () => {
    const registry = new ModelRegistry(() => Promise.reject(new Error('no assets here')));
    let reloads = 0;
    const reload = () => {
      reloads += 1;
      if (reloads === 1) throw new Error('out of memory on the new backend');
      return { config: TINY, params: initParams(TINY, 1) };
    };
    registry.add(INFO, { config: TINY, params: initParams(TINY, 1) }, reload);
    expect(await registry.releaseAll()).toEqual([]); // kept bytes: it survives the switch
    await expect(registry.get('user-1')).rejects.toThrow('out of memory on the new backend');
    const model = await registry.get('user-1');
    expect(model.config).toBe(TINY);
    expect(reloads).toBe(2);
    await registry.releaseAll();
  });
});
