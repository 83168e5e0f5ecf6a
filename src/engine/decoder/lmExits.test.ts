import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { initNodeBackend } from '../nodeBackend';
import { EXIT_RULES, type ExitRule } from '../exits/rules';
import { decoderInputFromArrays } from './decoderInput';
import { disposeDecoderParams } from './decoderWeights';
import { lmExitScores } from './lmExitScores';
import { lmExitTradeoff } from './lmExitTradeoff';
import { loadDecoder } from './loadDecoder';
import {
  DECODER_CASES,
  decoderFiles,
  decoderFolder,
  decoderInputArrays,
} from './fixtures/decoderCases';

interface LmExitsReference {
  tokens: number;
  targets: number[];
  perLayer: { confidence: number[][]; entropy: number[][]; top1: number[][]; nll: number[][] };
  curves: Record<
    ExitRule,
    { threshold: number; accuracy: number; perplexity: number; meanExitLayer: number }[]
  >;
}

const reference = (name: string) =>
  JSON.parse(readFileSync(`${decoderFolder(name)}/lm-exits.json`, 'utf8')) as LmExitsReference;

const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));

async function scoresOf(name: string, batchSize = 2) {
  const { params } = await loadDecoder(await decoderFiles(name));
  const input = decoderInputFromArrays(decoderInputArrays(name), params.config, 'input.npz');
  const scores = await lmExitScores(params, input, { batchSize });
  disposeDecoderParams(params);
  return scores;
}

describe('teacher-forced early exit of decoder LMs', () => {
  beforeAll(async () => {
    await initNodeBackend('cpu');
  });

  it.each(DECODER_CASES.filter((c) => c.lens).map((c) => [c.name] as const))(
    '%s: per-layer scores and the trade-off of every rule match the float64 reference',
    async (name) => {
      const want = reference(name);
      const scores = await scoresOf(name);
      expect(scores.samples).toBe(want.tokens);
      expect(Array.from(scores.next)).toEqual(want.targets);
      for (let l = 0; l < scores.layers; l++) {
        expect(Array.from(scores.top1[l]), `top1 ${l + 1}`).toEqual(want.perLayer.top1[l]);
        for (const key of ['confidence', 'entropy', 'nll'] as const)
          want.perLayer[key][l].forEach((v, i) =>
            expect(relative(scores[key][l][i], v), `${key} ${l + 1} [${i}]`).toBeLessThan(1e-4),
          );
      }
      for (const rule of EXIT_RULES) {
        const curve = lmExitTradeoff(
          scores,
          rule,
          want.curves[rule].map((p) => p.threshold),
        );
        const byThreshold = new Map(curve.points.map((p) => [p.threshold, p]));
        for (const p of want.curves[rule]) {
          const got = byThreshold.get(p.threshold)!;
          const label = `${rule} ${p.threshold}`;
          expect(got.accuracy, label).toBeCloseTo(p.accuracy, 10);
          expect(got.meanExitLayer, label).toBeCloseTo(p.meanExitLayer, 10);
          expect(relative(got.perplexity, p.perplexity), label).toBeLessThan(1e-4);
          expect(got.speedup).toBeCloseTo(scores.layers / p.meanExitLayer, 10);
        }
      }
    },
  );

  it('the references exit at more than one layer, so the curves are not flat', () => {
    const means = DECODER_CASES.filter((c) => c.lens).flatMap((c) =>
      EXIT_RULES.flatMap((r) => reference(c.name).curves[r].map((p) => p.meanExitLayer)),
    );
    expect(means.some((m) => m > 1 && m < 3)).toBe(true);
    expect(new Set(means).size).toBeGreaterThan(10);
  });

  it('the default sweep runs from the earliest to the latest exits; the strictest reads layer L', async () => {
    const scores = await scoresOf('llama-a', 1);
    for (const rule of EXIT_RULES) {
      const curve = lmExitTradeoff(scores, rule);
      const means = curve.points.map((p) => p.meanExitLayer);
      means.slice(1).forEach((m, k) => expect(m).toBeGreaterThanOrEqual(means[k]));
      expect(curve.perLayer.accuracy).toHaveLength(3);
      if (rule !== 'confidence') {
        // Patience k = L and entropy τ = 0 never exit early: the model's own accuracy and perplexity.
        const last = curve.points[curve.points.length - 1];
        expect(last.meanExitLayer).toBe(3);
        expect(last.perplexity).toBeCloseTo(curve.perLayer.perplexity[2], 10);
        expect(last.accuracy).toBe(curve.perLayer.accuracy[2]);
      }
    }
    expect(() => lmExitTradeoff(scores, 'patience', [1.5])).toThrow(
      'LM patience exit trade-off: patience 1.5, expected a whole number of layers k ≥ 0',
    );
  });

  it('refuses a classifier and leaves no tensor behind', async () => {
    const cls = await loadDecoder(await decoderFiles('gpt2-cls'));
    const clsInput = decoderInputFromArrays(decoderInputArrays('gpt2-cls'), cls.params.config, 'i');
    await expect(lmExitScores(cls.params, clsInput)).rejects.toThrow(/classification head/);
    disposeDecoderParams(cls.params);
    const { params } = await loadDecoder(await decoderFiles('gpt2-a'));
    const input = decoderInputFromArrays(decoderInputArrays('gpt2-a'), params.config, 'i');
    const before = tf.memory().numTensors;
    await lmExitScores(params, input, { batchSize: 2 });
    expect(tf.memory().numTensors).toBe(before);
    disposeDecoderParams(params);
  });
});
