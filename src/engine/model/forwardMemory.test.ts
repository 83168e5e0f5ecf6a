import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import type { Tensor, Tensor3D, Tensor4D } from '../tf';
import { initNodeBackend } from '../nodeBackend';
import { PRESETS, type VisionConfig } from './config';
import { forward } from './forward';
import { block, layerNorm, mlp, multiHeadAttention } from './layers';
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

  async function peakOf(run: () => Tensor): Promise<number> {
    const before = tf.memory().numBytes;
    const info = await tf.profile(() => {
      const out = run();
      out.dispose();
      return tf.scalar(0);
    });
    return info.peakBytes - before;
  }

  it("holds attention's or the MLP's intermediates within a block, not both at once", async () => {
    const x = tf.randomNormal([16, 17, deep.hiddenSize], 0, 1, 'float32', 5) as Tensor3D;
    const p = deepParams.blocks[0];
    const eps = deep.layerNormEps;
    const attention = await peakOf(() =>
      tf.tidy(() => multiHeadAttention(layerNorm(x, p.attentionNorm, eps), p, deep, null)),
    );
    const perceptron = await peakOf(() =>
      tf.tidy(() => mlp(layerNorm(x, p.mlpNorm, eps), p, deep)),
    );
    const whole = await peakOf(() => tf.tidy(() => block(x, p, deep, null)));
    x.dispose();
    const hiddenBytes = x.size * 4;
    // Beside the larger of the two: the residual sums and a norm's output, a few [B, T, D] each.
    expect(whole).toBeLessThanOrEqual(Math.max(attention, perceptron) + 4 * hiddenBytes);
  });
});
