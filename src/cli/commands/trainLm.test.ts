// `strata train` on a decoder language model, in process on wasm (whose missing
// UnsortedSegmentSum the embedding's gradient must avoid): writes a resumable fine-tune, and
// --resume continues it from its step.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSafetensors } from '../../engine/io/safetensors';
import { decoderFolder } from '../../engine/decoder/fixtures/decoderCases';
import { readJson, strata, tempFolder } from '../testing';

const tmp = tempFolder('train-lm');
const input = join(decoderFolder('gpt2-a'), 'input.npz');
const train = (model: string, out: string, ...more: string[]) =>
  strata(
    'train',
    '--model',
    model,
    '--input',
    input,
    '--batch-size',
    '2',
    '--lr',
    '0.01',
    '--backend',
    'wasm',
    '--out',
    out,
    ...more,
  );
const weightsOf = (folder: string) =>
  readSafetensors(new Uint8Array(readFileSync(join(folder, 'model.safetensors'))), folder);

describe('strata train --input (decoder language models)', () => {
  it('fine-tunes with the aligned loss, then --resume continues from the saved step', async () => {
    const first = tmp('first');
    const a = await train(decoderFolder('gpt2-a'), first, '--loss', 'aligned', '--steps', '4');
    expect(a.code, a.stderr).toBe(0);
    const metrics = readJson(join(first, 'metrics.json'));
    expect(metrics.recipe).toMatchObject({ loss: 'aligned', weighting: 'linear', steps: 4 });
    expect(metrics.step).toBe(4);
    expect(metrics.log.at(-1).terms).toHaveLength(2); // one CE per layer
    expect(metrics.lens.accuracy).toHaveLength(3);
    const saved = weightsOf(first);
    expect(saved.metadata.strata_step).toBe('4');
    const before = weightsOf(decoderFolder('gpt2-a'));
    const name = 'transformer.h.0.attn.c_attn.weight';
    const pick = (w: typeof saved) => w.tensors.find((t) => t.name === name)!.data;
    expect(Array.from(pick(saved))).not.toEqual(Array.from(pick(before)));
    expect(readFileSync(join(first, 'config.json'), 'utf8')).toBe(
      readFileSync(join(decoderFolder('gpt2-a'), 'config.json'), 'utf8'),
    );

    const second = tmp('second');
    const b = await train(first, second, '--loss', 'aligned', '--steps', '6', '--resume');
    expect(b.code, b.stderr).toBe(0);
    const resumed = readJson(join(second, 'metrics.json'));
    expect(resumed.resumedAt).toBe(4);
    expect(resumed.step).toBe(6);
    expect(resumed.log[0].step).toBe(5);
    const optimizer = readSafetensors(
      new Uint8Array(readFileSync(join(second, 'optimizer.safetensors'))),
      'optimizer.safetensors',
    );
    expect(optimizer.metadata.adamw_step).toBe('6');
  }, 120_000);

  it.each([
    [['--loss', 'multihead'], '--loss multihead: expected one of standard, aligned'],
    [['--loss', 'aligned', '--schedule', '1,2,3'], '3 weights, expected one per layer'],
    [['--loss', 'aligned', '--batch-size', '9'], '--batch-size 9 exceeds the 3 rows'],
  ])('refuses %j before training', async (more, message) => {
    const { code, stderr } = await train(decoderFolder('gpt2-a'), tmp('no'), ...more);
    expect(code).toBe(1);
    expect(stderr).toContain(message);
  });

  it('refuses a classifier and a --resume without optimizer.safetensors', async () => {
    const cls = await train(decoderFolder('gpt2-cls'), tmp('no'), '--loss', 'standard');
    expect(cls.code).toBe(1);
    expect(cls.stderr).toContain('has a classification head, expected a language model');
    const fresh = await train(decoderFolder('gpt2-a'), tmp('no'), '--loss', 'standard', '--resume');
    expect(fresh.code).toBe(1);
    expect(fresh.stderr).toContain('optimizer.safetensors is missing');
  });
});
