import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import type { Tensor4D } from '../tf';
import { initNodeBackend } from '../nodeBackend';
import { PRESETS, type VisionConfig } from './config';
import { forward } from './forward';
import { disposeParams, initParams, type ModelParams } from './params';

// A forward pass must hold one block's intermediates at a time, not every block's: at real size
// (ViT-B/16) the difference is gigabytes. tf.profile counts bytes exactly, so this is no timing.
describe('forward memory', () => {
  const shallow: VisionConfig = { ...PRESETS['vit-mnist'], numLayers: 2 };
  const deep: VisionConfig = { ...PRESETS['vit-mnist'], numLayers: 8 };
  let shallowParams: ModelParams;
  let deepParams: ModelParams;
  beforeAll(async () => {
    await initNodeBackend('cpu');
    shallowParams = initParams(shallow, 1);
    deepParams = initParams(deep, 1);
  });
  afterAll(() => {
    disposeParams(shallowParams);
    disposeParams(deepParams);
  });

  async function peakBytes(params: ModelParams, config: VisionConfig): Promise<number> {
    const pixels = tf.randomUniform([16, 1, 28, 28], 0, 1, 'float32', 3) as Tensor4D;
    const before = tf.memory().numBytes;
    const info = await tf.profile(() => {
      const capture = forward(params, config, { kind: 'image', pixels });
      tf.dispose(capture as unknown as tf.Tensor[]);
      return tf.scalar(0);
    });
    pixels.dispose();
    return info.peakBytes - before;
  }

  it('grows by little more than the extra hidden states when a model has more blocks', async () => {
    const tokens = 17;
    const hiddenBytes = 16 * tokens * shallow.hiddenSize * 4; // one h_l of the batch
    const growth = (await peakBytes(deepParams, deep)) - (await peakBytes(shallowParams, shallow));
    // Six more blocks keep six more h_l (plus pooled rows and logits, far smaller). Holding every
    // block's intermediates (attention scores, MLP activations) instead costs well over 10× that.
    expect(growth).toBeGreaterThan(0);
    expect(growth).toBeLessThan(6 * 2 * hiddenBytes);
  });
});
