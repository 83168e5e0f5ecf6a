import { beforeAll, describe, expect, it } from 'vitest';
import { PRESETS, type ModelConfig } from '../model/config';
import { initParams } from '../model/params';
import { initNodeBackend } from '../nodeBackend';
import { tf } from '../tf';
import { withClassHead } from './heads';

const small = (heads: 'shared' | 'per-layer'): ModelConfig => ({
  ...PRESETS['vit-mnist'],
  numLayers: 2,
  hiddenSize: 16,
  numHeads: 2,
  mlpSize: 32,
  heads,
});

describe('withClassHead', () => {
  beforeAll(async () => {
    await initNodeBackend('cpu');
  });

  it('keeps a model whose head already has the classes', () => {
    const model = { config: small('shared'), params: initParams(small('shared'), 0) };
    expect(withClassHead(model, [...'0123456789'], 1)).toBe(model);
    tf.disposeVariables();
  });

  it('gives a new-width classifier (and per-layer ones), shares the backbone, leaks nothing', () => {
    for (const heads of ['shared', 'per-layer'] as const) {
      const config = small(heads);
      const model = { config, params: initParams(config, 0) };
      const before = tf.memory().numTensors;
      const out = withClassHead(model, ['cat', 'dog', 'eel'], 1);
      expect(out.config).toMatchObject({ numClasses: 3, labels: ['cat', 'dog', 'eel'] });
      expect(out.params.head.classifier.weight.shape).toEqual([16, 3]);
      expect(out.params.head.classifier.bias!.shape).toEqual([3]);
      expect(out.params.head.norm!.weight).toBe(model.params.head.norm!.weight);
      expect(out.params.blocks[1]).toEqual(model.params.blocks[1]); // the same variables
      if (heads === 'per-layer')
        expect(out.params.layerHeads!.map((h) => h.classifier.weight.shape)).toEqual([
          [16, 3],
          [16, 3],
        ]);
      // The replaced classifiers are disposed, the new ones take their place one for one.
      expect(tf.memory().numTensors).toBe(before);
      tf.disposeVariables();
    }
  });
});
