// Fresh weights for a decoder language model, to train one from scratch.
import { tf } from '../tf';
import type { Tensor } from '../tf';
import type { DecoderConfig } from '../decoder/decoderConfig';
import { checkpointSpecs, type DecoderParams } from '../decoder/decoderWeights';

/**
 * GPT-2's initialisation (transformers' _init_weights), seeded: matrices N(0, std), the residual
 * projections N(0, std/√(2L)), biases 0, norm weights 1. Tensor i draws from seed·1000 + i, so
 * the weights depend only on the config and the seed.
 */
export function initDecoderParams(config: DecoderConfig, seed: number, std = 0.02): DecoderParams {
  const tensors = new Map<string, Tensor>();
  checkpointSpecs(config).forEach((s, i) => {
    const t = tf.tidy(() => {
      if (/(^|\.)(ln1|ln2|norm)\.w$/.test(s.key)) return tf.ones(s.shape);
      if (s.shape.length === 1) return tf.zeros(s.shape);
      const residual = /\.(o|proj|down)\.w$/.test(s.key);
      const sd = residual ? std / Math.sqrt(2 * config.numLayers) : std;
      const draw = seed * 1000 + i;
      // tfjs reads seed 0 as no seed (Math.random): -1 stands for it.
      const w = tf.randomNormal(s.shape, 0, sd, 'float32', draw === 0 ? -1 : draw);
      return s.transpose ? tf.transpose(w) : w;
    });
    tensors.set(s.key, t);
  });
  return { config, tensors };
}
