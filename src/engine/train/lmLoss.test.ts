import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import type { Scalar, Tensor, Tensor1D, Tensor2D } from '../tf';
import { readNpz } from '../io/npz';
import { initNodeBackend } from '../nodeBackend';
import { decoderInputFromArrays } from '../decoder/decoderInput';
import { checkpointSpecs, disposeDecoderParams } from '../decoder/decoderWeights';
import type { DecoderParams } from '../decoder/decoderWeights';
import { loadDecoder } from '../decoder/loadDecoder';
import {
  DECODER_FIXTURES,
  decoderFiles,
  decoderInputArrays,
} from '../decoder/fixtures/decoderCases';
import { lmBatch, lmLoss, nextTokenLoss, nextTokenPositions } from './lmLoss';
import { decoderVariables } from './lmTrainer';
import { layerWeights } from './schedule';

interface Reference {
  weights: number[];
  terms: number[];
  aligned: number;
  standard: number;
}

const reference = (name: string) => ({
  json: JSON.parse(readFileSync(`${DECODER_FIXTURES}lm-loss/${name}.json`, 'utf8')) as Reference,
  grads: new Map(
    readNpz(new Uint8Array(readFileSync(`${DECODER_FIXTURES}lm-loss/${name}.npz`)), `${name}.npz`, {
      maxTotalBytes: 1024 ** 3,
    }).map((a) => [a.name.replace(/\.npy$/, ''), a.data as Float32Array]),
  ),
});

async function fixture(name: string) {
  const { params } = await loadDecoder(await decoderFiles(name));
  const input = decoderInputFromArrays(decoderInputArrays(name), params.config, 'input.npz');
  const variables = decoderVariables(params);
  return { params, input, variables };
}

/** Loss, terms and gradients (in the checkpoint's torch layout, by checkpoint name). */
async function lossAndGrads(
  params: DecoderParams,
  input: ReturnType<typeof decoderInputFromArrays>,
  weights: number[],
) {
  const batch = lmBatch(input)!;
  const keys = [...params.tensors.keys()];
  const variables = keys.map((k) => params.tensors.get(k)!) as tf.Variable[];
  const specs = new Map(checkpointSpecs(params.config).map((s) => [s.key, s]));
  const { value, grads, terms } = tf.tidy(() => {
    let terms: Tensor | null = null;
    const { value, grads } = tf.variableGrads(() => {
      const parts = lmLoss(params, batch, weights);
      terms = tf.keep(tf.stack(parts.terms));
      return parts.total;
    }, variables);
    const torch = keys.map((k) => {
      const g = grads[variables[keys.indexOf(k)].name];
      return specs.get(k)!.transpose ? tf.transpose(g) : g;
    });
    return { value, grads: torch, terms: terms! };
  });
  tf.dispose([batch.ids, batch.mask, batch.at, batch.next]);
  const out = {
    loss: (await value.data())[0],
    terms: Array.from(await terms.data()),
    grads: new Map(
      await Promise.all(
        keys.map(
          async (k, i) => [specs.get(k)!.name, (await grads[i].data()) as Float32Array] as const,
        ),
      ),
    ),
  };
  tf.dispose([value, terms, ...grads]);
  return out;
}

/** max |a − b| / max(1e-3, max |b|): the error relative to the gradient's scale. */
function scaledDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 1e-3;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

describe('lmLoss', () => {
  beforeAll(async () => {
    await initNodeBackend('cpu');
  });

  it('scores the positions whose token and next token are both real', () => {
    const { at, next } = nextTokenPositions({
      n: 2,
      t: 3,
      ids: Int32Array.from([5, 6, 0, 7, 8, 9]),
      mask: Float32Array.from([1, 1, 0, 1, 1, 1]),
    });
    expect(Array.from(at)).toEqual([0, 3, 4]);
    expect(Array.from(next)).toEqual([6, 8, 9]);
  });

  it.each([['gpt2-a'], ['llama-a']])(
    '%s: aligned and standard losses and every gradient match the float64 torch reference',
    async (name) => {
      const ref = reference(name);
      const { params, input } = await fixture(name);
      const L = params.config.numLayers;
      const aligned = await lossAndGrads(params, input, layerWeights('linear', L));
      const standard = await lossAndGrads(params, input, [1]);
      disposeDecoderParams(params);
      expect(ref.json.weights).toEqual(layerWeights('linear', L).map((w) => expect.closeTo(w, 12)));
      expect(aligned.loss).toBeCloseTo(ref.json.aligned, 4);
      aligned.terms.forEach((t, i) => expect(t).toBeCloseTo(ref.json.terms[i], 4));
      expect(standard.loss).toBeCloseTo(ref.json.standard, 4);
      for (const [kind, got] of [
        ['aligned', aligned],
        ['standard', standard],
      ] as const) {
        expect(got.grads.size).toBe(checkpointSpecs(params.config).length);
        for (const [tensor, g] of got.grads) {
          const want = ref.grads.get(`${kind}.${tensor}`);
          expect(want, `${kind}.${tensor} in the reference`).toBeDefined();
          expect(scaledDiff(g, want!), `${kind} gradient of ${tensor}`).toBeLessThan(2e-4);
        }
      }
    },
  );

  it('aligned with λ on the last layer only is the standard loss, gradients included', async () => {
    const { params, input } = await fixture('llama-a');
    const L = params.config.numLayers;
    const lastOnly = Array.from({ length: L }, (_, i) => (i === L - 1 ? 1 : 0));
    const aligned = await lossAndGrads(params, input, lastOnly);
    const standard = await lossAndGrads(params, input, [1]);
    disposeDecoderParams(params);
    expect(aligned.terms).toHaveLength(L);
    expect(standard.terms).toHaveLength(1);
    expect(aligned.loss).toBe(standard.loss);
    for (const [tensor, g] of standard.grads)
      expect(scaledDiff(aligned.grads.get(tensor)!, g), tensor).toBeLessThan(1e-6);
  });

  it('nextTokenLoss: the plain CE gradient, its peak memory not growing with the layers', async () => {
    const [p, d, v] = [256, 4, 500]; // P ≫ D: logits outweigh the [D, V] gradients
    const w = tf.tidy(() => tf.variable(tf.randomNormal([d, v], 0, 0.3, 'float32', 9)));
    const next = tf.tensor1d(
      Array.from({ length: p }, (_, i) => (i * 37) % v),
      'int32',
    ) as Tensor1D;
    const plainCe = (x: Tensor2D) =>
      tf.neg(tf.mean(tf.sum(tf.mul(tf.oneHot(next, v), tf.logSoftmax(tf.matMul(x, w))), 1)));
    const oursCe = (x: Tensor2D) => nextTokenLoss(x, w as Tensor2D, next);
    /** Loss and gradients of Σ over `layers` states, and the peak bytes the step added. */
    const run = async (layers: number, ce: (x: Tensor2D) => Tensor) => {
      const xs = Array.from(
        { length: layers },
        (_, i) => tf.tidy(() => tf.variable(tf.randomNormal([p, d], 0, 1, 'float32', i + 1))), // seed 0: none
      );
      let out: Tensor[] = [];
      const start = tf.memory().numBytes; // peakBytes counts every live tensor
      const info = await tf.profile(() => {
        out = tf.tidy(() => {
          const { value, grads } = tf.variableGrads(
            () => tf.addN(xs.map((x) => ce(x as Tensor2D))) as Scalar,
            [...xs, w],
          );
          return [value, grads[xs[0].name], grads[w.name]];
        });
      });
      const values = await Promise.all(out.map((t) => t.data()));
      tf.dispose([...out, ...xs]);
      return { values, peak: info.peakBytes - start };
    };
    const before = tf.memory().numTensors;
    const ours = await run(2, oursCe);
    const plain = await run(2, plainCe);
    for (let i = 0; i < 3; i++)
      expect(scaledDiff(ours.values[i], plain.values[i])).toBeLessThan(1e-5);
    const [ours8, plain8] = [await run(8, oursCe), await run(8, plainCe)];
    expect(tf.memory().numTensors).toBe(before);
    // The plain loss keeps every layer's logits for the backward pass; ours one layer's at a time.
    const logitBytes = p * v * 4;
    expect(plain8.peak - plain.peak).toBeGreaterThan(6 * logitBytes);
    expect(ours8.peak - ours.peak).toBeLessThan(logitBytes);
    tf.dispose([w, next]);
  }, 120_000);
});
