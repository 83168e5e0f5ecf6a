import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import type { Tensor2D, Tensor3D } from '../tf';
import { initNodeBackend } from '../nodeBackend';
import { isTaskAborted } from '../tasks';
import type { ExitRule } from '../exits/rules';
import { cachedBlock, disposeCache, embedAt, emptyCache } from './decoderCache';
import { finalNorm, unembed } from './decoderForward';
import { disposeDecoderParams, type DecoderParams } from './decoderWeights';
import { generateWithExits } from './generateExits';
import { loadDecoder } from './loadDecoder';
import {
  DECODER_CASES,
  decoderExpected,
  decoderFiles,
  decoderFolder,
  decoderInputArrays,
} from './fixtures/decoderCases';

interface GenerateReference {
  prompt: number[];
  maxNew: number;
  greedy: number[];
  runs: {
    rule: ExitRule;
    threshold: number;
    tokens: number[];
    exitLayers: number[];
    confidence: number[];
  }[];
}

const LM_CASES = DECODER_CASES.filter((c) => c.lens).map((c) => [c.name] as const);

const reference = (name: string) =>
  JSON.parse(readFileSync(`${decoderFolder(name)}/generate.json`, 'utf8')) as GenerateReference;

/** Logits [T, V] of one sequence through the cache: `first` tokens at once, then one by one. */
async function cachedLogits(params: DecoderParams, ids: number[], first: number) {
  const cache = emptyCache(params);
  const rows: Float32Array[] = [];
  const run = async (chunk: number[]) => {
    let x: Tensor3D = embedAt(params, chunk, cache.length);
    for (let i = 0; i < params.config.numLayers; i++) {
      const next = cachedBlock(params, i, x, cache);
      x.dispose();
      x = next;
    }
    cache.length += chunk.length;
    const logits = tf.tidy(() =>
      unembed(params, finalNorm(params, tf.reshape(x, [chunk.length, -1])) as Tensor2D),
    );
    x.dispose();
    rows.push((await logits.data()) as Float32Array);
    logits.dispose();
  };
  await run(ids.slice(0, first));
  for (let k = first; k < ids.length; k++) await run([ids[k]]);
  disposeCache(cache);
  const out = new Float32Array(rows.reduce((s, r) => s + r.length, 0));
  rows.reduce((at, r) => (out.set(r, at), at + r.length), 0);
  return out;
}

describe('decoder key/value cache and generation with exits', () => {
  beforeAll(async () => {
    await initNodeBackend('cpu');
  });

  it.each(LM_CASES)(
    '%s: cached step-by-step logits equal transformers’ full forward within 1e-4',
    async (name) => {
      const { params } = await loadDecoder(await decoderFiles(name));
      const ids = decoderInputArrays(name).find((a) => a.name === 'input_ids')!;
      const t = ids.shape[1];
      const row = Array.from({ length: t }, (_, k) => Number(ids.data[k])); // row 0: all real
      const got = await cachedLogits(params, row, 3);
      disposeDecoderParams(params);
      const want = decoderExpected(name).get('logits')!.data as Float32Array;
      let diff = 0;
      for (let k = 0; k < got.length; k++)
        diff = Math.max(diff, Math.abs(got[k] - want[k]) / Math.max(1, Math.abs(want[k])));
      expect(diff).toBeLessThan(1e-4);
    },
  );

  it.each(LM_CASES)(
    '%s: a rule that never exits early generates transformers’ greedy tokens',
    async (name) => {
      const ref = reference(name);
      const { params } = await loadDecoder(await decoderFiles(name));
      const out = await generateWithExits(params, ref.prompt, {
        maxNew: ref.maxNew,
        rule: 'confidence',
        threshold: 2,
      });
      disposeDecoderParams(params);
      expect(out.map((g) => g.token)).toEqual(ref.greedy);
      expect(out.every((g) => g.exitLayer === params.config.numLayers)).toBe(true);
    },
  );

  it.each(LM_CASES)(
    '%s: tokens, exit layers and confidences match the float64 state-propagation reference',
    async (name) => {
      const ref = reference(name);
      const { params } = await loadDecoder(await decoderFiles(name));
      for (const run of ref.runs) {
        const out = await generateWithExits(params, ref.prompt, {
          maxNew: ref.maxNew,
          rule: run.rule,
          threshold: run.threshold,
        });
        const label = `${run.rule} ${run.threshold}`;
        expect(
          out.map((g) => g.token),
          label,
        ).toEqual(run.tokens);
        expect(
          out.map((g) => g.exitLayer),
          label,
        ).toEqual(run.exitLayers);
        out.forEach((g, k) =>
          expect(Math.abs(g.confidence - run.confidence[k]), `${label} [${k}]`).toBeLessThan(1e-4),
        );
      }
      disposeDecoderParams(params);
    },
  );

  it('some reference run exits early and then decodes after a propagated state', () => {
    // Guards the fixtures: only a token that skipped two blocks or more, followed by another token,
    // tells state propagation from running the skipped blocks (with one skipped block both give
    // its keys and values from the same input).
    const early = DECODER_CASES.filter((c) => c.lens).flatMap((c) =>
      reference(c.name).runs.filter((r) =>
        r.exitLayers.slice(0, -1).some((e) => e <= c.layers - 2),
      ),
    );
    expect(early.length).toBeGreaterThan(0);
  });

  it('never generates a suppressed token: the next best is taken, confidence and entropy of the rest', async () => {
    const ref = reference('llama-a');
    const { params } = await loadDecoder(await decoderFiles('llama-a'));
    const banned = [...new Set(ref.greedy)];
    const out = await generateWithExits(params, ref.prompt, {
      maxNew: ref.maxNew,
      rule: 'entropy',
      threshold: 0.5,
      suppress: banned,
    });
    expect(out).toHaveLength(ref.maxNew);
    expect(out.filter((g) => banned.includes(g.token))).toEqual([]);
    expect(out.every((g) => g.confidence > 0 && g.confidence <= 1)).toBe(true);
    await expect(
      generateWithExits(params, ref.prompt, {
        maxNew: 2,
        rule: 'entropy',
        threshold: 0.5,
        suppress: [-1],
      }),
    ).rejects.toThrow(/suppressed token -1, expected ids in \[0, /);
    disposeDecoderParams(params);
  });

  it('stops between two tokens once its signal is aborted, leaving no tensor behind', async () => {
    const { params } = await loadDecoder(await decoderFiles('llama-a'));
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const seen: number[] = [];
    const run = generateWithExits(params, [3, 5, 7], {
      maxNew: 8,
      rule: 'confidence',
      threshold: 2,
      signal: controller.signal,
      onToken: (done) => {
        seen.push(done);
        if (done === 2) controller.abort();
      },
    });
    const error = await run.catch((e: unknown) => e);
    expect(isTaskAborted(error)).toBe(true);
    expect(String(error)).toContain('generation: stopped');
    expect(seen).toEqual([1, 2]);
    expect(tf.memory().numTensors).toBe(before);
    disposeDecoderParams(params);
  });

  it('leaves no tensor behind, and refuses bad options naming what was expected', async () => {
    const { params } = await loadDecoder(await decoderFiles('llama-a'));
    const before = tf.memory().numTensors;
    await generateWithExits(params, [3, 5, 7], { maxNew: 4, rule: 'patience', threshold: 1 });
    await generateWithExits(params, [3], { maxNew: 2, rule: 'entropy', threshold: 4 });
    await expect(
      generateWithExits(params, [3, 999], { maxNew: 2, rule: 'confidence', threshold: 0.5 }),
    ).rejects.toThrow('generation: prompt id 999 at index 1, expected ids in [0, 128)');
    await expect(
      generateWithExits(params, [3], { maxNew: 2, rule: 'patience', threshold: 0.5 }),
    ).rejects.toThrow('expected a whole number of layers');
    expect(tf.memory().numTensors).toBe(before);
    disposeDecoderParams(params);
    const gpt2 = await loadDecoder(await decoderFiles('gpt2-a'));
    await expect(
      generateWithExits(gpt2.params, [1, 2, 3], { maxNew: 15, rule: 'confidence', threshold: 1 }),
    ).rejects.toThrow('need 17 positions, expected at most n_positions = 16');
    disposeDecoderParams(gpt2.params);
  });
});
