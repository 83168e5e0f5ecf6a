// `strata lm-exits` and `strata generate`, in process, on the fixture decoders.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decoderFolder } from '../../engine/decoder/fixtures/decoderCases';
import { generateCommand } from './generate';
import { lmExitsCommand } from './lmExits';
import { commandContext, readJson, relative, tempFolder } from '../testing';

const tmp = tempFolder('lm-exits');
const { ctx, logs } = commandContext();

describe('strata lm-exits and generate', () => {
  it('lm-exits writes standard and aligned curves per rule, equal to the float64 reference', async () => {
    const [a, b] = [decoderFolder('llama-b'), decoderFolder('llama-bf16-sharded')];
    const out = tmp('exits');
    await lmExitsCommand(
      ['--model', a, '--versus-model', b, '--input', `${a}/input.npz`, '--out', out],
      ctx,
    );
    const report = readJson(join(out, 'lm-exits.json'));
    expect(report.models.map((m: { role: string }) => m.role)).toEqual(['standard', 'aligned']);
    for (const [k, name] of ['llama-b', 'llama-bf16-sharded'].entries()) {
      const model = report.models[k];
      expect(model.model).toBe(name);
      expect(Object.keys(model.curves)).toEqual(['confidence', 'entropy', 'patience']);
      // Both read llama-b's input; the reference of the second model is on its own input, so
      // only the first is compared point by point (patience k = 1, 2 are in both sweeps).
      if (k === 0) {
        const want = readJson(`${a}/lm-exits.json`);
        expect(model.tokens).toBe(want.tokens);
        for (const p of want.curves.patience.filter(
          (q: { threshold: number }) => q.threshold > 0,
        )) {
          const got = model.curves.patience.points.find(
            (q: { threshold: number }) => q.threshold === p.threshold,
          );
          expect(got.accuracy).toBeCloseTo(p.accuracy, 10);
          expect(got.meanExitLayer).toBeCloseTo(p.meanExitLayer, 10);
          expect(relative(got.perplexity, p.perplexity)).toBeLessThan(1e-4);
        }
      }
    }
    expect(report.models[0].curves.confidence.perLayer).not.toEqual(
      report.models[1].curves.confidence.perLayer,
    );
  });

  it('lm-exits --samples 1 --rules entropy scores the first row only, one rule', async () => {
    const a = decoderFolder('gpt2-a');
    const out = tmp('one');
    await lmExitsCommand(
      [
        '--model',
        a,
        '--input',
        `${a}/input.npz`,
        '--samples',
        '1',
        '--rules',
        'entropy',
        '--out',
        out,
      ],
      ctx,
    );
    const [model] = readJson(join(out, 'lm-exits.json')).models;
    expect(model.tokens).toBe(8); // 9 real tokens in row 0
    expect(model.role).toBeUndefined();
    expect(Object.keys(model.curves)).toEqual(['entropy']);
    await expect(
      lmExitsCommand(
        ['--model', a, '--input', `${a}/input.npz`, '--rules', 'fast', '--out', out],
        ctx,
      ),
    ).rejects.toThrow(
      '--rules fast: "fast" is not a rule, expected some of confidence, entropy, patience',
    );
    await expect(
      lmExitsCommand(
        [
          '--model',
          a,
          '--versus-model',
          decoderFolder('qwen2-a'),
          '--input',
          `${a}/input.npz`,
          '--out',
          out,
        ],
        ctx,
      ),
    ).rejects.toThrow('--model has a vocabulary of 96, --versus-model 100');
    await expect(
      lmExitsCommand(
        ['--model', decoderFolder('gpt2-cls'), '--input', `${a}/input.npz`, '--out', out],
        ctx,
      ),
    ).rejects.toThrow('has a classification head');
  });

  it('generate writes the tokens and exit layers of the float64 state-propagation reference', async () => {
    const folder = decoderFolder('llama-a');
    const ref = readJson(`${folder}/generate.json`);
    const run = ref.runs.find((r: { exitLayers: number[] }) => r.exitLayers.some((e) => e === 1));
    const out = tmp('generate');
    await generateCommand(
      [
        ...[
          '--model',
          folder,
          '--prompt-ids',
          ref.prompt.join(','),
          '--max-new',
          String(ref.maxNew),
        ],
        ...['--rule', run.rule, '--threshold', String(run.threshold), '--out', out],
      ],
      ctx,
    );
    const report = readJson(join(out, 'generate.json'));
    const [sample] = report.samples;
    expect(sample.prompt).toEqual(ref.prompt);
    expect(sample.tokens.map((g: { token: number }) => g.token)).toEqual(run.tokens);
    expect(sample.tokens.map((g: { exitLayer: number }) => g.exitLayer)).toEqual(run.exitLayers);
    expect(report.skippedLayers).toMatch(/state propagation/);
    expect(logs[logs.length - 2]).toBe(
      `prompt 0: ${run.tokens.map((t: number, k: number) => `${t}@${run.exitLayers[k]}`).join(' ')}`,
    );
  });

  it('generate --input takes each row’s real tokens as a prompt; bad options are usage errors', async () => {
    const folder = decoderFolder('llama-a'); // left padding: row 1 starts with padding
    const out = tmp('rows');
    await generateCommand(
      [
        ...[
          '--model',
          folder,
          '--input',
          `${folder}/input.npz`,
          '--samples',
          '2',
          '--max-new',
          '3',
        ],
        ...['--rule', 'entropy', '--threshold', '1', '--out', out],
      ],
      ctx,
    );
    const report = readJson(join(out, 'generate.json'));
    expect(report.samples.map((s: { prompt: number[] }) => s.prompt.length)).toEqual([10, 7]);
    expect(report.samples.every((s: { tokens: unknown[] }) => s.tokens.length === 3)).toBe(true);
    const base = ['--model', folder, '--rule', 'confidence', '--threshold', '0.5', '--out', out];
    await expect(generateCommand(base, ctx)).rejects.toThrow(
      'give either --prompt-ids ID,… or --input FILE',
    );
    await expect(generateCommand([...base, '--prompt-ids', '1,x'], ctx)).rejects.toThrow(
      '"x" at index 1 is not a token id',
    );
    await expect(
      generateCommand(
        [
          '--model',
          folder,
          '--rule',
          'patience',
          '--threshold',
          '0.5',
          '--prompt-ids',
          '1',
          '--out',
          out,
        ],
        ctx,
      ),
    ).rejects.toThrow('patience counts layers, expected an integer ≥ 0');
  });
});
